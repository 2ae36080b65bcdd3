"""Synthetic nomination requests, some answered with a named person."""

from datetime import timedelta

from alliance.scale import SYNTHETIC, ScaleContext, created_with_history
from members.models import Body, NominationRequest, Organisation, Person

NOMINATION_REQUESTS = 40


def nominations_generate(*, context: ScaleContext) -> dict[str, int]:
    """Add requests to name members: sent, answered with a nominee or withdrawn."""
    rng = context.rng
    bodies = list(Body.objects.order_by("slug"))
    organisations = list(Organisation.objects.order_by("slug"))
    total = context.count(NOMINATION_REQUESTS)
    at = context.moment(context.day(0, 1))
    statuses = [
        NominationRequest.Status.SENT,
        NominationRequest.Status.NOMINATED,
        NominationRequest.Status.WITHDRAWN,
    ]
    requests = []
    nominees = []
    for n in range(total):
        sent = context.day(n, total)
        status = statuses[n % len(statuses)]
        request = NominationRequest(
            body=bodies[n % len(bodies)],
            organisation=rng.choice(organisations),
            sent_on=sent,
            reply_due=sent + timedelta(days=rng.randrange(14, 45)),
            reference=f"{SYNTHETIC} VN/{1000 + n}/2023",
            status=status,
        )
        if status == NominationRequest.Status.NOMINATED:
            nominees.append(
                (
                    request,
                    Person(first_name=f"{SYNTHETIC} Nominee", last_name=str(n + 1)),
                )
            )
            request.decision_reference = f"{SYNTHETIC} Board decision {n + 1}"
            request.decision_date = sent + timedelta(days=10)
        requests.append(request)
    people = created_with_history(
        Person, [person for _, person in nominees], context=context, at=at
    )
    for (request, _), person in zip(nominees, people, strict=True):
        request.nominee = person
    requests = created_with_history(NominationRequest, requests, context=context, at=at)
    return {"nomination requests": len(requests), "nominees": len(people)}

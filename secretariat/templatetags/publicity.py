"""`{% publicity kind document %}`: a document's publicity, and for the secretariat
the way to set it, on the document's own page (pages of lower apps load it too)."""

from django import template

from alliance.publicity import publicities_by_document
from secretariat.permissions import can_see_publicity, can_set_publicity

register = template.Library()


@register.inclusion_tag("secretariat/publicity_panel.html", takes_context=True)
def publicity(context, kind: str, document):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_see_publicity(user):
        return {"shown": False}
    return {
        "shown": True,
        "kind": kind,
        "document": document,
        "record": _records(request, type(document)).get(document.pk),
        "may_set": can_set_publicity(user),
        "here": request.get_full_path(),
    }


def _records(request, model) -> dict:
    # A page lists many documents of a kind: their records are read once per request.
    cache = request.__dict__.setdefault("_publicity_records", {})
    if model not in cache:
        cache[model] = publicities_by_document(model)
    return cache[model]

"""`{% publicity kind document %}`: a document's publicity, and for the secretariat
the way to set it, on the document's own page (pages of lower apps load it too)."""

from django import template

from alliance.publicity import publicity_of
from secretariat.permissions import can_see_publicity, can_set_publicity

register = template.Library()


@register.inclusion_tag("secretariat/publicity_panel.html", takes_context=True)
def publicity(context, kind: str, document):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_see_publicity(user):
        return {"shown": False}
    record = publicity_of(document)
    return {
        "shown": True,
        "kind": kind,
        "document": document,
        "record": record if record.pk else None,
        "may_set": can_set_publicity(user),
        "here": request.get_full_path(),
    }

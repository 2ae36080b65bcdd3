"""The secretariat's form that records whether a document is public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from alliance.editing import conflict_show, redirect_next, safe_next
from alliance.history import ConcurrentEdit, history_entries
from alliance.publicity import PublicityForm, publicity_of
from members.permissions import require_reader
from secretariat import permissions, services
from secretariat.publicity import document_get


@login_required
def publicity_edit(request, kind, pk):
    require_reader(request.user)
    if not permissions.can_set_publicity(request.user):
        raise PermissionDenied
    found = document_get(kind=kind, pk=pk)
    if found is None or not found[0].may_see(request.user, found[1]):
        raise Http404
    document_kind, document = found
    publicity = publicity_of(document)
    here = reverse("secretariat:publicity_edit", args=[kind, pk])
    form = PublicityForm(request.POST or None, instance=publicity)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic(durable=True):
                services.document_publicity_save(
                    publicity=form.instance,
                    kind=kind,
                    document=document,
                    by=request.user,
                    token=form.cleaned_data.get("edit_token") or None,
                )
        except ConcurrentEdit as error:
            conflict = error
            conflict_show(form, publicity)
        except ValidationError as error:
            form.error_add(error)
        else:
            messages.success(request, _("The publicity of the document was saved."))
            if request.htmx:
                return HttpResponseClientRedirect(safe_next(request) or here)
            return redirect_next(request, here)
    # htmx swaps only successful responses; the errors must be seen.
    status = 200 if request.htmx or not form.is_bound else 409 if conflict else 400
    return render(
        request,
        "alliance/object_form_partial.html"
        if request.htmx
        else "secretariat/publicity_form.html",
        {
            "form": form,
            "form_title": _("Publicity of the document"),
            "heading_detail": f"{document_kind.label}: {document_kind.title(document)}",
            "intro": _(
                "Under the Act on the Openness of Government Activities (621/1999) a "
                "document is public unless section 24 or another act makes it "
                "secret; a preparatory document becomes public when the matter has "
                "been decided (section 6). Until this is set, the document is not "
                "public."
            ),
            "conflict": conflict,
            "next_url": safe_next(request) or "",
            "cancel_url": safe_next(request) or here,
            "history": history_entries(publicity) if publicity.pk else [],
        },
        status=status,
    )

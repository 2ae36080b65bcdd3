"""Importing values from a spreadsheet, and downloading the template to fill in.

The upload shows a preview (what is added, what changes and whose value it
replaces) or the bad rows with their reasons; nothing is saved until the preview is
confirmed, and then all of it or nothing. The preview travels to the confirmation in
a signed form field, never in the session.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.uploads import download_response
from monitoring import forms, importing, permissions, selectors, services

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_importer(request) -> None:
    if not permissions.can_import_observations(request.user):
        raise PermissionDenied


def _page(request, *, form, preview=None, file_error=None, status=200):
    return render(
        request,
        "monitoring/observation_import.html",
        {
            "form": form,
            "template_form": forms.ImportTemplateForm(),
            "preview": preview,
            "file_error": file_error,
            "max_bytes": importing.import_max_bytes(),
        },
        status=status,
    )


@login_required
def observation_import(request):
    """Upload a file: show its preview, or its bad rows; nothing is saved yet."""
    _require_importer(request)
    if request.method != "POST":
        return _page(request, form=forms.ImportUploadForm())
    form = forms.ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        preview = services.observations_import_preview(
            upload=form.cleaned_data["file"], by=request.user
        )
    except ValidationError as error:
        form.add_error("file", error)
        return _page(request, form=form, status=400)
    return _page(request, form=form, preview=preview, status=200 if preview.ok else 400)


@login_required
@require_POST
def observation_import_confirm(request):
    """Import the values of the confirmed preview, all or none."""
    _require_importer(request)
    plan = request.POST.get("plan", "")
    try:
        count = services.observations_import(
            plan=plan, by=request.user, request=request
        )
    except services.ImportPlanInvalid:
        return _page(
            request,
            form=forms.ImportUploadForm(),
            file_error=_(
                "The preview has expired or is not yours. Upload the file again."
            ),
            status=400,
        )
    except services.ImportStale as stale:
        return _page(
            request,
            form=forms.ImportUploadForm(),
            file_error=stale.messages[0],
            status=409,
        )
    except ValidationError as error:
        return _page(
            request,
            form=forms.ImportUploadForm(),
            file_error=" ".join(error.messages),
            status=400,
        )
    messages.success(
        request,
        ngettext(
            "%(count)s value was imported.", "%(count)s values were imported.", count
        )
        % {"count": count},
    )
    return redirect(reverse("monitoring:indicator_list"))


@login_required
@require_GET
def observation_import_template(request, file_format):
    """Download the rows the person may fill in, as CSV or XLSX."""
    _require_importer(request)
    if file_format not in _CONTENT_TYPES:
        raise Http404
    form = forms.ImportTemplateForm(request.GET or None)
    theme = period = round = None
    if request.GET:
        if not form.is_valid():
            return _page(
                request,
                form=forms.ImportUploadForm(),
                file_error=" ".join(
                    message for errors in form.errors.values() for message in errors
                ),
                status=400,
            )
        theme = form.cleaned_data["theme"]
        period = form.cleaned_data["period"]
        round = form.cleaned_data["round"]
    if round is not None:
        period = (round.frequency, round.period_label)
    rows = selectors.import_template_rows(
        user=request.user,
        indicators=selectors.template_indicators(theme=theme, round=round),
        period=period,
    )
    parts = [round.period_label if round else "", slugify(theme.title) if theme else ""]
    return _template_response(rows, file_format, name="-".join(filter(None, parts)))


def _template_response(rows, file_format: str, *, name: str):
    language = (get_language() or "fi")[:2]
    if file_format == "csv":
        data = importing.template_csv(rows, language=language)
    else:
        data = importing.template_xlsx(rows, language=language)
    filename = "-".join(filter(None, [_("values-template"), name]))
    return download_response(
        io.BytesIO(data),
        filename=f"{filename}.{file_format}",
        content_type=_CONTENT_TYPES[file_format],
    )

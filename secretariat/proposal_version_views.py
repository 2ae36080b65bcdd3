"""The proposal's versions page: drafts, final versions, their files and jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.models import Job
from alliance.permissions import can_retry_job
from alliance.services import JobError
from alliance.uploads import download_response
from members.permissions import require_reader
from secretariat import permissions, selectors
from secretariat import proposal_versions as services
from secretariat.models import ModelProposal


def _proposal(request) -> ModelProposal:
    require_reader(request.user)
    proposal = selectors.proposal_current()
    if proposal is None:
        raise Http404
    return proposal


def _page_url() -> str:
    return reverse("secretariat:proposal_versions")


@login_required
def proposal_versions(request):
    require_reader(request.user)
    proposal = selectors.proposal_current()
    user = request.user
    may_draft = permissions.can_make_proposal_draft(user)
    context = {
        "proposal": proposal,
        "rows": (
            selectors.proposal_version_rows(proposal=proposal) if proposal else []
        ),
        "drafts": selectors.proposal_drafts_of(user=user) if may_draft else [],
        "may_draft": may_draft,
        "may_finalise": permissions.can_make_final_proposal(user),
        "formats": services.FORMATS,
    }
    return render(request, "secretariat/proposal_versions.html", context)


@login_required
@require_POST
def proposal_draft(request):
    proposal = _proposal(request)
    if not permissions.can_make_proposal_draft(request.user):
        raise PermissionDenied
    format = request.POST.get("format", "")
    if format not in services.FORMATS:
        return HttpResponse(status=400)
    job = services.proposal_draft_request(
        proposal=proposal, format=format, by=request.user
    )
    if request.htmx:
        return TemplateResponse(
            request,
            "alliance/job_status.html",
            {"job": job, "may_retry": can_retry_job(request.user, job)},
        )
    return redirect(job)


@login_required
def proposal_final(request):
    """GET asks the chair to confirm; POST makes the next final version."""
    proposal = _proposal(request)
    if not permissions.can_make_final_proposal(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            version = services.proposal_final_make(proposal=proposal, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s was made. Its PDF and Word files are being "
                    "printed."
                )
                % {"number": version.number},
            )
        return redirect(_page_url())
    rows = selectors.proposal_version_rows(proposal=proposal)
    return render(
        request,
        "secretariat/proposal_final_confirm.html",
        {"proposal": proposal, "latest": rows[0].version if rows else None},
    )


@login_required
def proposal_version_row(request, number):
    """One version's row, which the page polls while its files are printed."""
    proposal = _proposal(request)
    rows = selectors.proposal_version_rows(proposal=proposal)
    row = next((row for row in rows if row.version.number == number), None)
    if row is None:
        raise Http404
    return render(
        request,
        "secretariat/proposal_version_row.html",
        {
            "row": row,
            "may_finalise": permissions.can_make_final_proposal(request.user),
        },
    )


@login_required
def proposal_version_file(request, number, format):
    """A final version's file: every role reads them."""
    proposal = _proposal(request)
    if format not in services.FORMATS:
        raise Http404
    stored = selectors.proposal_file_get(
        proposal=proposal, number=number, format=format
    )
    if stored is None:
        raise Http404
    return download_response(
        stored.file.open("rb"), filename=stored.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def proposal_file_retry(request, pk):
    require_reader(request.user)
    if not permissions.can_make_final_proposal(request.user):
        raise PermissionDenied
    job = get_object_or_404(Job, pk=pk, task_name=services.FILE_TASK)
    try:
        services.proposal_file_retry(job=job, by=request.user)
    except JobError as error:
        messages.error(request, str(error))
    return redirect(_page_url())

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from alliance.audit import audit_record, client_address
from alliance.health import service_states
from alliance.models import AuditEvent, Job
from alliance.permissions import can_retry_job, can_view_job
from alliance.services import JobError, job_retry
from alliance.uploads import download_response

logger = logging.getLogger(__name__)


def _visible_job(request, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if not can_view_job(request.user, job):
        raise Http404
    return job


@login_required
def job_detail(request, pk):
    job = _visible_job(request, pk)
    template = (
        "alliance/job_status.html" if request.htmx else "alliance/job_detail.html"
    )
    return render(
        request,
        template,
        {"job": job, "may_retry": can_retry_job(request.user, job)},
    )


@login_required
def job_download(request, pk):
    job = _visible_job(request, pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    return download_response(job.result.open("rb"), filename=job.download_name)


@login_required
@require_POST
def job_retry_view(request, pk):
    job = _visible_job(request, pk)
    if not can_retry_job(request.user, job):
        raise PermissionDenied
    try:
        job_retry(job=job)
    except JobError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect(job)


def csrf_failure(request, reason=""):
    """A refused form in the site's layout and language, instead of Django's page."""
    return render(request, "403_csrf.html", status=403)


@require_safe
@never_cache
def healthz(request):
    """Each service's state for a load balancer or monitor: 200 when all are up."""
    states = service_states()
    down = [name for name, state in states.items() if not state.up]
    body = {
        "status": "down" if down else "up",
        "down": down,
        "services": {
            name: {"up": state.up, "state": state.state}
            for name, state in states.items()
        },
    }
    return JsonResponse(body, status=503 if down else 200)


def permission_denied(request, exception=None):
    """The 403 page; the refusal goes to the audit trail and one log line."""
    audit_record(
        kind=AuditEvent.Kind.PERMISSION_REFUSED,
        what=str(exception or "")[:500],
        request=request,
    )
    user = request.user if request.user.is_authenticated else None
    logger.warning(
        "Permission refused: %s %s for %s from %s",
        request.method,
        request.path,
        user.get_username() if user else "anonymous",
        client_address(request),
    )
    return render(request, "403.html", status=403)


def sign_in_locked_out(request, response, credentials):
    """The sign-in page again, saying why, in the user's language (django-axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username", "")
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": request.POST.get("next", ""),
            "locked_out_message": ngettext(
                "Too many failed sign-ins with this user name from your address. "
                "Try again in %(minutes)d minute, or reset your password.",
                "Too many failed sign-ins with this user name from your address. "
                "Try again in %(minutes)d minutes, or reset your password.",
                minutes,
            )
            % {"minutes": minutes},
        },
        status=429,
    )

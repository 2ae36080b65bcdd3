from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from alliance.health import service_states
from alliance.models import Job
from alliance.permissions import can_retry_job, can_view_job
from alliance.services import JobError, job_retry
from alliance.uploads import download_response


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
    return download_response(job.result.open("rb"), filename=job.result.name)


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

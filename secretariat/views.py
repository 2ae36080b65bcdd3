import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedUpdateView, redirect_next
from alliance.history import history_entries
from alliance.models import Job
from alliance.permissions import can_retry_job
from alliance.services import JobError
from alliance.uploads import download_response
from members.models import Organisation, User
from members.permissions import ContentAccessMixin, require_reader
from members.services import user_calendar_token_renew
from monitoring import selectors as monitoring_selectors
from secretariat import (
    accessibility,
    document_services,
    documents,
    forms,
    permissions,
    progress_report,
    selectors,
    services,
)
from secretariat.calendar_feed import calendar_feed_for
from secretariat.meetings import permissions as meeting_rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import Meeting
from secretariat.models import Appointment, AppointmentTask, ModelProposal
from secretariat.schedule import (
    ScheduleWindow,
    schedule_build,
    schedule_theme_build,
)
from secretariat.search import search
from themes import selectors as theme_selectors
from themes.models import Theme
from themes.proposals.selectors import (
    proposal_dashboard_summary,
)


@login_required
def dashboard(request):
    appointment = selectors.current_appointment()
    today = timezone.localdate()
    context = {"appointment": appointment, "today": today}
    if not permissions.can_view_appointment(request.user):
        # Signed in but given no role yet: say so instead of showing nothing.
        return render(request, "secretariat/dashboard_no_role.html", status=403)
    if appointment is not None:
        context.update(
            tasks=selectors.appointment_tasks(appointment=appointment),
            deadline=selectors.model_proposal_deadline(
                appointment=appointment, today=today
            ),
        )
    context.update(
        milestones=theme_selectors.milestones_upcoming(today=today),
        overdue_milestones=theme_selectors.milestones_overdue(today=today)[:10],
        late_measures=theme_selectors.measures_late(today=today)[:10],
        off_track=selectors.indicators_off_track(),
        upcoming_meetings=meeting_selectors.meetings_upcoming(today=today),
        meetings_awaiting_minutes=meeting_selectors.meetings_awaiting_minutes(),
        open_action_items=meeting_selectors.action_items_for_dashboard(today=today),
        proposal_summary=proposal_dashboard_summary(user=request.user, today=today),
        rounds_owed=monitoring_selectors.rounds_owed_by_user(
            user=request.user, today=today
        ),
    )
    return render(request, "secretariat/dashboard.html", context)


@login_required
def appointment_detail(request, pk):
    require_reader(request.user)
    appointment = get_object_or_404(
        Appointment.objects.select_related("issuer", "body"), pk=pk
    )
    proposal = ModelProposal.objects.filter(appointment=appointment).first()
    return render(
        request,
        "secretariat/appointment_detail.html",
        {
            "appointment": appointment,
            "tasks": selectors.appointment_tasks(appointment=appointment),
            "signatories": appointment.signatories.all(),
            "deadline": selectors.model_proposal_deadline(
                appointment=appointment, today=timezone.localdate()
            ),
            "history": history_entries(appointment),
            "may_edit": permissions.can_edit_appointment(request.user),
            "proposal": proposal,
            "proposal_versions": (
                selectors.proposal_version_rows(proposal=proposal) if proposal else []
            ),
        },
    )


class AppointmentUpdateView(ContentAccessMixin, TrackedUpdateView):
    model = Appointment
    form_class = forms.AppointmentForm
    form_title = gettext_lazy("Edit the appointment decision")
    save_service = staticmethod(services.appointment_save)


class AppointmentTaskUpdateView(ContentAccessMixin, TrackedUpdateView):
    model = AppointmentTask
    form_class = forms.AppointmentTaskForm
    form_title = gettext_lazy("Edit the task")
    inline_template_name = "secretariat/appointment_task_row.html"
    save_service = staticmethod(services.appointment_task_save)
    object_argument = "task"

    def get_inline_context(self):
        return {
            **super().get_inline_context(),
            "task": self.object,
            "may_edit": True,
        }


def _proposal_deadline() -> datetime.date | None:
    appointment = selectors.current_appointment()
    return appointment.model_proposal_due if appointment else None


@login_required
def schedule(request):
    """The themes over a window of months; one theme's measures open at a time
    without JavaScript, any number with it (`schedule_theme`).

    A window that does not parse is shown around today, with the error at its field
    and the status 400.
    """
    require_reader(request.user)
    today = timezone.localdate()
    window_form = forms.ScheduleWindowForm(
        request.GET or None,
        initial={"start": ScheduleWindow.around(today).start.strftime("%Y-%m")},
    )
    valid = not window_form.is_bound or window_form.is_valid()
    open_theme_id = (
        window_form.cleaned_data.get("theme") if valid and request.GET else None
    )
    window = window_form.window(today=today)
    return render(
        request,
        "secretariat/schedule.html",
        {
            "schedule": schedule_build(
                user=request.user,
                today=today,
                deadline=_proposal_deadline(),
                window=window,
                open_theme_id=open_theme_id,
            ),
            "window_form": window_form,
            "open_theme_id": open_theme_id,
        },
        status=200 if valid else 400,
    )


@login_required
def schedule_theme(request, pk):
    """One theme's rows of the schedule, its measures shown or hidden, for the
    page to swap in place of the theme's rows."""
    require_reader(request.user)
    today = timezone.localdate()
    window_form = forms.ScheduleWindowForm(request.GET)
    measures = request.GET.get("measures", "shown")
    if not window_form.is_valid() or measures not in ("shown", "hidden"):
        return HttpResponseBadRequest(_("The schedule's window is not valid."))
    theme = get_object_or_404(
        theme_selectors.schedule_themes(user=request.user, today=today), pk=pk
    )
    window = window_form.window(today=today)
    return render(
        request,
        "secretariat/schedule_theme.html",
        {
            "theme": schedule_theme_build(
                theme,
                user=request.user,
                today=today,
                deadline=_proposal_deadline(),
                window=window,
                measures_shown=measures == "shown",
            ),
            "window": window,
        },
    )


@login_required
def search_view(request):
    require_reader(request.user)
    text = request.GET.get("q", "")[:200]
    return render(
        request,
        "secretariat/search.html",
        {"text": text, "hits": search(text=text, user=request.user)},
    )


@login_required
def appointment_current(request):
    require_reader(request.user)
    appointment = selectors.current_appointment()
    if appointment is None:
        raise Http404
    return redirect(appointment)


@login_required
def calendar_subscription(request):
    """Show the user's secret calendar address, and let them replace it."""
    require_reader(request.user)
    if request.method == "POST":
        user_calendar_token_renew(user=request.user)
        messages.success(
            request,
            _("Your calendar address was replaced; the old one stops working."),
        )
        return redirect_next(request, "secretariat:calendar_subscription")
    feed = request.build_absolute_uri(
        reverse("secretariat:calendar_feed", args=[request.user.calendar_token])
    )
    return render(request, "secretariat/calendar_subscription.html", {"feed_url": feed})


def calendar_feed(request, token):
    """The milestones and meetings as iCalendar, for calendar programs to subscribe to.

    Calendar programs cannot sign in, so the secret address is the key; it belongs to
    one user and stops working when the user or their role is gone, or when the user
    changes their password. Programs poll the feed often: an unchanged feed has the
    same ETag and Last-Modified and is answered with 304.
    """
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not permissions.can_view_appointment(user):
        raise Http404
    feed = calendar_feed_for(user=user, today=timezone.localdate())
    response = HttpResponse(feed.body, content_type="text/calendar; charset=utf-8")
    # Anyone holding the address may fetch it, so no shared cache keeps it; a
    # calendar program may, but asks again every time.
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = feed.etag
    last_modified = int(feed.last_modified.timestamp())
    response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=feed.etag, last_modified=last_modified, response=response
    )


# Documents of meetings: assembled here, where the appointment that heads every
# document is.


def _meeting(request, pk) -> Meeting:
    require_reader(request.user)
    meeting = meeting_selectors.meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


DOCUMENT_NAMES = {"agenda", "minutes"}


def _document_version(request, meeting: Meeting, name: str) -> int | None:
    """The agenda version to print: asked for, else the draft or the latest."""
    if name != "agenda":
        return None
    asked = request.POST.get("version") or request.GET.get("version")
    if asked:
        try:
            return int(asked)
        except ValueError as error:
            raise Http404 from error
    if meeting_rules.can_see_draft_agenda(request.user, meeting):
        return None
    latest = meeting_selectors.agenda_latest_version(meeting=meeting)
    if latest is None:
        raise Http404
    return latest.number


def _document_allowed(request, meeting: Meeting, name: str) -> None:
    if name not in DOCUMENT_NAMES:
        raise Http404
    if name == "minutes" and not meeting_rules.can_see_minutes(request.user, meeting):
        raise Http404


@login_required
@require_POST
def document_request(request, pk, name):
    meeting = _meeting(request, pk)
    _document_allowed(request, meeting, name)
    version_number = _document_version(request, meeting, name)
    try:
        job = document_services.document_request(
            name=name,
            meeting=meeting,
            by=request.user,
            version_number=version_number,
            language=translation.get_language(),
        )
    except JobError as error:
        if request.htmx:
            return HttpResponse(
                format_html('<p class="job__error" role="alert">{}</p>', str(error))
            )
        messages.error(request, str(error))
        return redirect_next(request, meeting)
    if request.htmx:
        return TemplateResponse(
            request,
            "alliance/job_status.html",
            {"job": job, "may_retry": can_retry_job(request.user, job)},
        )
    return redirect(job)


@login_required
def document_preview(request, pk, name):
    """The print template as HTML, for design work (the secretariat only)."""
    meeting = _meeting(request, pk)
    if not meeting_rules.can_preview_documents(request.user):
        raise PermissionDenied
    _document_allowed(request, meeting, name)
    try:
        document = documents.document_build(
            name=name,
            meeting=meeting,
            version_number=_document_version(request, meeting, name),
            language=translation.get_language(),
        )
    except JobError as error:
        messages.error(request, str(error))
        return redirect(meeting)
    return HttpResponse(documents.document_preview_html(document))


@login_required
def proposal_compare(request):
    """What changed between two final versions of the proposal, or since one."""
    if not permissions.can_view_proposal_versions(request.user):
        raise PermissionDenied
    proposal = selectors.proposal_current()
    versions = selectors.proposal_versions_listed(proposal=proposal) if proposal else []
    context = {"versions": versions, "proposal": proposal}
    if not versions:
        return render(request, "secretariat/proposal_compare.html", context)
    form = forms.ProposalCompareForm(request.GET, versions=versions)
    context["form"] = form
    if not form.is_valid():
        return render(request, "secretariat/proposal_compare.html", context, status=400)
    old, new = form.sides()
    comparison = selectors.proposal_comparison(proposal=proposal, old=old, new=new)
    context.update(old=old, new=new, comparison=comparison)
    return render(request, "secretariat/proposal_compare.html", context)


# The progress report


def _report_language(user) -> str:
    """The requester's language, if the documents have it (fi or sv), else Finnish."""
    for language in (getattr(user, "language", ""), translation.get_language()):
        if language in {"fi", "sv"}:
            return language
    return "fi"


def _progress_report_rows(jobs) -> list[dict]:
    """Each report made, with its scope and period read back from the job."""
    jobs = list(jobs)
    theme_ids = {job.arguments.get("theme_id") for job in jobs} - {None}
    city_ids = {job.arguments.get("city_id") for job in jobs} - {None}
    themes = dict(Theme.objects.filter(pk__in=theme_ids).values_list("pk", "title"))
    cities = {city.pk: city for city in Organisation.objects.filter(pk__in=city_ids)}
    rows = []
    for job in jobs:
        arguments = job.arguments
        scope = arguments.get("scope")
        if scope == progress_report.Scope.THEME:
            label = themes.get(arguments.get("theme_id"), _("a removed theme"))
        elif scope == progress_report.Scope.CITY:
            city = cities.get(arguments.get("city_id"))
            label = city.name if city else _("a removed city")
        else:
            label = _("All themes")
        rows.append(
            {
                "job": job,
                "scope": label,
                "period": arguments.get("period", ""),
                "language": arguments.get("language", ""),
            }
        )
    return rows


@login_required
def progress_reports(request):
    """Ask for a progress report, and list the reports made (staff and the chair)."""
    require_reader(request.user)
    if not permissions.can_request_progress_report(request.user):
        raise PermissionDenied
    form = forms.ProgressReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = document_services.progress_report_request(
                    by=request.user,
                    scope=data["scope"],
                    period=data["period"],
                    theme=data["theme"],
                    city=data["city"],
                    foreword=data["foreword"],
                    language=_report_language(request.user),
                )
            except JobError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("The report %(period)s is being made.")
                    % {"period": job.arguments["period"]},
                )
                return redirect("secretariat:progress_reports")
        status = 400
    else:
        status = 200
    rows = _progress_report_rows(document_services.progress_reports_made()[:50])
    context = {
        "form": form,
        "reports": rows,
        "working": any(not row["job"].is_finished for row in rows),
    }
    if request.htmx and request.method == "GET":
        return render(request, "secretariat/progress_report_table.html", context)
    return render(request, "secretariat/progress_reports.html", context, status=status)


@login_required
def progress_report_download(request, pk):
    """Open a report made: every member of the secretariat reads every report."""
    require_reader(request.user)
    if not permissions.can_request_progress_report(request.user):
        raise PermissionDenied
    job = get_object_or_404(
        Job, pk=pk, kind=document_services.PROGRESS_REPORT_KIND, state=Job.State.DONE
    )
    if not job.result:
        raise Http404
    return download_response(job.result.open("rb"), filename=job.download_name)


# The statement was drawn up, and the service last assessed, on this day.
STATEMENT_DATE = datetime.date(2026, 12, 6)


def accessibility_statement(request):
    """The accessibility statement and its feedback form, public like the privacy
    notice: anyone may need them before they have an account."""
    form = forms.AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.session.session_key:
            request.session.save()
        who = {
            "address": request.META.get("REMOTE_ADDR", ""),
            "session_key": request.session.session_key,
        }
        if not accessibility.feedback_allowed(**who):
            form = forms.AccessibilityFeedbackForm()
            messages.error(
                request,
                _(
                    "You have sent several messages in a short time. Please try "
                    "again in an hour, or write to the secretariat by e-mail."
                ),
            )
            status = 429
        elif form.is_valid():
            accessibility.feedback_submit(
                **form.cleaned_data, language=translation.get_language(), **who
            )
            messages.success(
                request,
                _("Thank you. Your feedback was sent to the secretariat."),
            )
            return redirect(reverse("secretariat:accessibility") + "#feedback")
        else:
            status = 400
    return render(
        request,
        "secretariat/accessibility_statement.html",
        {"form": form, "statement_date": STATEMENT_DATE},
        status=status,
    )

"""Views of meetings, agendas, minutes, documents and action items.

Each view signs the user in, checks the rule in `meeting_permissions`, calls one
service or selector and responds: anonymous → sign-in, no role → 403, an object the
user may not see → 404, may see but not do → 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedCreateView, TrackedUpdateView
from alliance.history import history_entries
from alliance.permissions import can_retry_job
from alliance.services import JobError
from members.permissions import require_reader
from secretariat import (
    document_services,
    documents,
    ical,
    meeting_forms,
    meeting_selectors,
    meeting_services,
)
from secretariat import meeting_permissions as rules
from secretariat.models import ActionItem, AgendaAttachment, AgendaItem, Meeting

# Helpers


def _meeting(request, pk) -> Meeting:
    require_reader(request.user)
    meeting = meeting_selectors.meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _items_context(request, meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "items": meeting_selectors.agenda_items(meeting=meeting),
        "may_edit_agenda": rules.can_edit_agenda(request.user, meeting),
    }


# Meetings


@login_required
def meeting_list(request):
    require_reader(request.user)
    return render(
        request,
        "secretariat/meeting_list.html",
        {
            "meetings": meeting_selectors.meeting_list(),
            "may_prepare": rules.can_prepare_meetings(request.user),
        },
    )


class MeetingAccessMixin:
    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return (
            rules.can_prepare_meetings(self.request.user)
            and obj.status != Meeting.Status.MINUTES_APPROVED
        )

    def may_add(self, parent) -> bool:
        return rules.can_prepare_meetings(self.request.user)


class MeetingCreateView(MeetingAccessMixin, TrackedCreateView):
    model = Meeting
    form_class = meeting_forms.MeetingForm
    form_title = gettext_lazy("Plan a meeting")

    def get_initial(self):
        return {"body": self.request.GET.get("body")}

    def perform_save(self, form):
        return meeting_services.meeting_save(
            meeting=form.instance, by=self.request.user
        )


class MeetingUpdateView(MeetingAccessMixin, TrackedUpdateView):
    model = Meeting
    form_class = meeting_forms.MeetingForm
    form_title = gettext_lazy("Edit the meeting")

    def perform_save(self, form):
        return meeting_services.meeting_save(
            meeting=form.instance,
            by=self.request.user,
            token=self.token(form),
        )


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    may_prepare = rules.can_prepare_meetings(user)
    latest = meeting_selectors.agenda_latest_version(meeting=meeting)
    context = {
        "meeting": meeting,
        "may_prepare": may_prepare,
        "may_decide": rules.can_decide(user),
        "may_edit_agenda": rules.can_edit_agenda(user, meeting),
        "may_edit_minutes": rules.can_edit_minutes(user, meeting),
        "may_see_minutes": rules.can_see_minutes(user, meeting),
        "latest_version": latest,
        "versions": meeting_selectors.agenda_versions(meeting=meeting),
        "status_changes": meeting_selectors.meeting_status_changes(meeting=meeting),
        "today": timezone.localdate(),
    }
    if may_prepare:
        context["items"] = meeting_selectors.agenda_items(meeting=meeting)
        context["distribution"] = meeting_selectors.meeting_distribution(
            meeting=meeting
        )
        context["history"] = history_entries(meeting)
    else:
        context["invitees"] = meeting_selectors.meeting_invitees(meeting=meeting)
    if latest is not None:
        context["published_items"] = documents.numbered_items(latest.content["items"])
    if context["may_see_minutes"] and meeting.status in {
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_APPROVED,
    }:
        context["attendance"] = meeting_selectors.meeting_attendance(meeting=meeting)
        context["decided_items"] = meeting_selectors.agenda_items(meeting=meeting)
        context["action_items"] = meeting_selectors.action_items_of_meeting(
            meeting=meeting, today=context["today"]
        )
    return render(request, "secretariat/meeting_detail.html", context)


@login_required
def meeting_ical(request, pk):
    meeting = _meeting(request, pk)
    body = ical.calendar_bytes(
        events=[ical.meeting_event(meeting=meeting)], name=str(meeting)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kokous-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def meeting_mark_held(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_decide(request.user):
        raise PermissionDenied
    try:
        meeting_services.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The meeting was marked as held."))
    return redirect(meeting)


# The agenda


@login_required
def agenda_builder(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_edit_agenda(request.user, meeting):
        raise PermissionDenied
    return render(
        request,
        "secretariat/agenda_builder.html",
        {
            **_items_context(request, meeting),
            "latest_version": meeting_selectors.agenda_latest_version(meeting=meeting),
            "may_decide": rules.can_decide(request.user),
        },
    )


class AgendaItemAccessMixin:
    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return rules.can_edit_agenda(self.request.user, obj.meeting)

    def may_add(self, parent) -> bool:
        return rules.can_edit_agenda(self.request.user, parent)


class AgendaItemCreateView(AgendaItemAccessMixin, TrackedCreateView):
    model = AgendaItem
    form_class = meeting_forms.AgendaItemForm
    parent_model = Meeting
    parent_field = "meeting"
    form_title = gettext_lazy("Add an agenda item")

    def perform_save(self, form):
        return meeting_services.agenda_item_save(
            item=form.instance, by=self.request.user
        )


class AgendaItemUpdateView(AgendaItemAccessMixin, TrackedUpdateView):
    model = AgendaItem
    form_class = meeting_forms.AgendaItemForm
    form_title = gettext_lazy("Edit the agenda item")

    def perform_save(self, form):
        return meeting_services.agenda_item_save(
            item=form.instance,
            by=self.request.user,
            token=self.token(form),
        )


def _agenda_item(request, pk) -> AgendaItem:
    require_reader(request.user)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if not rules.can_edit_agenda(request.user, item.meeting):
        raise PermissionDenied
    return item


def _items_response(request, meeting: Meeting):
    if request.htmx:
        return TemplateResponse(
            request, "secretariat/agenda_items.html", _items_context(request, meeting)
        )
    return redirect("secretariat:agenda_builder", meeting.pk)


@login_required
@require_POST
def agenda_item_move(request, pk, direction):
    item = _agenda_item(request, pk)
    if direction not in {"up", "down"}:
        raise Http404
    try:
        meeting_services.agenda_item_move(
            item=item, direction=direction, by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    return _items_response(request, item.meeting)


@login_required
@require_POST
def agenda_item_delete(request, pk):
    item = _agenda_item(request, pk)
    try:
        meeting_services.agenda_item_delete(item=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    return _items_response(request, item.meeting)


@login_required
@require_POST
def agenda_standard_items(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_edit_agenda(request.user, meeting):
        raise PermissionDenied
    try:
        added = meeting_services.agenda_standard_items_add(
            meeting=meeting, by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        if not added:
            messages.info(request, _("The agenda already has every standard item."))
    return _items_response(request, meeting)


@login_required
def agenda_attachment_add(request, pk):
    item = _agenda_item(request, pk)
    form = meeting_forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.agenda_attachment_add(
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("secretariat:agenda_builder", item.meeting_id)
    return render(
        request,
        "secretariat/agenda_attachment_form.html",
        {"item": item, "form": form, "meeting": item.meeting},
        status=400 if form.errors else 200,
    )


@login_required
def agenda_attachment_download(request, pk):
    require_reader(request.user)
    attachment = get_object_or_404(
        AgendaAttachment.objects.select_related("item__meeting"), pk=pk
    )
    published = meeting_selectors.published_attachment_ids(
        meeting=attachment.item.meeting
    )
    if not rules.can_see_attachment(request.user, attachment, published_ids=published):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def agenda_attachment_delete(request, pk):
    require_reader(request.user)
    attachment = get_object_or_404(
        AgendaAttachment.objects.select_related("item__meeting"), pk=pk
    )
    meeting = attachment.item.meeting
    if not rules.can_edit_agenda(request.user, meeting):
        raise PermissionDenied
    try:
        meeting_services.agenda_attachment_delete(
            attachment=attachment, by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    return _items_response(request, meeting)


@login_required
@require_POST
def agenda_publish(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_decide(request.user):
        raise PermissionDenied
    try:
        version = meeting_services.agenda_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _(
                "Version %(number)s of the agenda was published; it is being sent "
                "to the distribution list."
            )
            % {"number": version.number},
        )
    return redirect(meeting)


@login_required
def agenda_version_detail(request, pk, number):
    meeting = _meeting(request, pk)
    version = get_object_or_404(
        meeting.agenda_versions.select_related("published_by"), number=number
    )
    return render(
        request,
        "secretariat/agenda_version_detail.html",
        {
            "meeting": meeting,
            "version": version,
            "items": documents.numbered_items(version.content["items"]),
            "distribution": version.content.get("distribution", []),
        },
    )


# Minutes


@login_required
def minutes_edit(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_edit_minutes(request.user, meeting):
        raise PermissionDenied
    form = meeting_forms.AttendanceForm(
        request.POST or None,
        memberships=meeting_selectors.meeting_invitees(meeting=meeting),
        attendances=meeting_selectors.meeting_attendance(meeting=meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.attendance_save(
                meeting=meeting, rows=form.attendance_rows(), by=request.user
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("secretariat:minutes_edit", meeting.pk)
    today = timezone.localdate()
    return render(
        request,
        "secretariat/minutes_edit.html",
        {
            "meeting": meeting,
            "form": form,
            "items": meeting_selectors.agenda_items(meeting=meeting),
            "action_items": meeting_selectors.action_items_of_meeting(
                meeting=meeting, today=today
            ),
            "may_decide": rules.can_decide(request.user),
            "may_edit_minutes": True,
        },
        status=400 if form.errors else 200,
    )


class DecisionUpdateView(TrackedUpdateView):
    model = AgendaItem
    form_class = meeting_forms.DecisionForm
    form_title = gettext_lazy("Record the decision")
    inline_template_name = "secretariat/minutes_item.html"

    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return rules.can_edit_minutes(self.request.user, obj.meeting)

    def perform_save(self, form):
        return meeting_services.agenda_item_decide(
            item=form.instance,
            by=self.request.user,
            token=self.token(form),
        )

    def get_success_url(self):
        return self.request.POST.get("next") or reverse(
            "secretariat:minutes_edit", args=[self.object.meeting_id]
        )

    def get_inline_context(self):
        return {
            **super().get_inline_context(),
            "item": self.object,
            "may_edit_minutes": True,
        }


@login_required
def minutes_approve(request, pk):
    meeting = _meeting(request, pk)
    if not rules.can_decide(request.user):
        raise PermissionDenied
    form = meeting_forms.MinutesApprovalForm(
        request.POST or None,
        meeting=meeting,
        initial={"approved_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.minutes_approve(
                meeting=meeting,
                method=form.cleaned_data["method"],
                approved_on=form.cleaned_data["approved_on"],
                approved_at=form.cleaned_data["approved_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes were approved."))
            return redirect(meeting)
    return render(
        request,
        "secretariat/minutes_approve.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


# Documents

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
    if rules.can_see_draft_agenda(request.user, meeting):
        return None
    latest = meeting_selectors.agenda_latest_version(meeting=meeting)
    if latest is None:
        raise Http404
    return latest.number


def _document_allowed(request, meeting: Meeting, name: str) -> None:
    if name not in DOCUMENT_NAMES:
        raise Http404
    if name == "minutes" and not rules.can_see_minutes(request.user, meeting):
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
        return redirect(meeting)
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
    if not rules.can_preview_documents(request.user):
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


# Action items


@login_required
def action_item_list(request):
    require_reader(request.user)
    status = request.GET.get("status", "unfinished")
    if status not in {"", "unfinished", *ActionItem.Status.values}:
        status = "unfinished"
    return render(
        request,
        "secretariat/action_item_list.html",
        {
            "action_items": meeting_selectors.action_item_list(
                today=timezone.localdate(), status=status
            ),
            "status": status,
            "statuses": ActionItem.Status.choices,
            "may_prepare": rules.can_prepare_meetings(request.user),
        },
    )


class ActionItemAccessMixin:
    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return rules.can_prepare_meetings(self.request.user)

    def may_add(self, parent) -> bool:
        return rules.can_prepare_meetings(self.request.user) and parent.status in {
            Meeting.Status.HELD,
            Meeting.Status.MINUTES_APPROVED,
        }


class ActionItemCreateView(ActionItemAccessMixin, TrackedCreateView):
    model = ActionItem
    form_class = meeting_forms.ActionItemForm
    parent_model = Meeting
    parent_field = "meeting"
    form_title = gettext_lazy("Record an action item")

    def perform_save(self, form):
        return meeting_services.action_item_save(
            item=form.instance, by=self.request.user
        )

    def get_success_url(self):
        return self.request.POST.get("next") or self.parent.get_absolute_url()


class ActionItemUpdateView(ActionItemAccessMixin, TrackedUpdateView):
    model = ActionItem
    form_class = meeting_forms.ActionItemForm
    form_title = gettext_lazy("Edit the action item")

    def perform_save(self, form):
        return meeting_services.action_item_save(
            item=form.instance,
            by=self.request.user,
            token=self.token(form),
        )

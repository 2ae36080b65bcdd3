"""The agenda builder: items, standard items, attachments, publishing, versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedCreateView, TrackedUpdateView, redirect_next
from alliance.ordering import move_and_respond
from alliance.uploads import download_response, uploaded_files
from members.permissions import require_reader
from secretariat.meetings import forms as meeting_forms
from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings import workflow
from secretariat.meetings.models import AgendaAttachment, AgendaItem, Meeting
from secretariat.meetings.views.base import items_context, meeting_or_404, refused


@login_required
def agenda_builder(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_edit_agenda(request.user, meeting):
        raise PermissionDenied
    return render(
        request,
        "meetings/agenda_builder.html",
        {
            **items_context(request, meeting),
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
    save_service = staticmethod(meeting_services.agenda_item_save)
    object_argument = "item"


class AgendaItemUpdateView(AgendaItemAccessMixin, TrackedUpdateView):
    model = AgendaItem
    form_class = meeting_forms.AgendaItemForm
    form_title = gettext_lazy("Edit the agenda item")
    save_service = staticmethod(meeting_services.agenda_item_save)
    object_argument = "item"


def _agenda_item(request, pk) -> AgendaItem:
    require_reader(request.user)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if not rules.can_edit_agenda(request.user, item.meeting):
        raise PermissionDenied
    return item


def _items_response(request, meeting: Meeting):
    if request.htmx:
        return TemplateResponse(
            request, "meetings/agenda_items.html", items_context(request, meeting)
        )
    return redirect_next(request, "meetings:agenda_builder", meeting.pk)


@login_required
@require_POST
def agenda_item_move(request, pk, direction):
    item = _agenda_item(request, pk)
    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: meeting_services.agenda_item_move(item=item, **kw),
        list_template="meetings/agenda_items.html",
        list_context=lambda: items_context(request, item.meeting),
        fallback_url=reverse("meetings:agenda_builder", args=[item.meeting_id]),
    )


@login_required
@require_POST
def agenda_item_delete(request, pk):
    item = _agenda_item(request, pk)
    try:
        meeting_services.agenda_item_delete(item=item, by=request.user)
    except ValidationError as error:
        refused(request, error)
    return _items_response(request, item.meeting)


@login_required
@require_POST
def agenda_standard_items(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_edit_agenda(request.user, meeting):
        raise PermissionDenied
    try:
        added = meeting_services.agenda_standard_items_add(
            meeting=meeting, by=request.user
        )
    except ValidationError as error:
        refused(request, error)
    else:
        if not added:
            messages.info(request, _("The agenda already has every standard item."))
    return _items_response(request, meeting)


@login_required
def agenda_attachment_add(request, pk):
    item = _agenda_item(request, pk)
    form = meeting_forms.AttachmentForm(
        request.POST or None, uploaded_files(request) or None
    )
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
            return redirect_next(request, "meetings:agenda_builder", item.meeting_id)
    return render(
        request,
        "meetings/agenda_attachment_form.html",
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
    return download_response(
        attachment.file.open("rb"),
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
        refused(request, error)
    return _items_response(request, meeting)


@login_required
@require_POST
def agenda_publish(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_publish_agenda(request.user, meeting):
        raise PermissionDenied
    try:
        version = meeting_services.agenda_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        if meeting_selectors.meeting_distribution_reached(meeting=meeting):
            messages.success(
                request, workflow.AGENDA_PUBLISH.done % {"number": version.number}
            )
        else:
            messages.warning(
                request,
                _(
                    "Version %(number)s of the agenda was published, but it was sent "
                    "to no one: no one on the distribution list has an e-mail "
                    "address."
                )
                % {"number": version.number},
            )
    return redirect_next(request, meeting)


@login_required
def agenda_version_detail(request, pk, number):
    meeting = meeting_or_404(request, pk)
    version = get_object_or_404(
        meeting.agenda_versions.select_related("published_by"), number=number
    )
    return render(
        request,
        "meetings/agenda_version_detail.html",
        {
            "meeting": meeting,
            "version": version,
            "items": meeting_selectors.numbered_items(version.content["items"]),
            "distribution": version.content.get("distribution", []),
        },
    )

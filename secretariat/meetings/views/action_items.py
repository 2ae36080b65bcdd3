"""Action items recorded in the minutes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from alliance.editing import TrackedCreateView, TrackedUpdateView
from alliance.paging import page_of
from members.permissions import require_reader
from secretariat.meetings import forms as meeting_forms
from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import ActionItem, Meeting


@login_required
def action_item_list(request):
    require_reader(request.user)
    status = request.GET.get("status", "unfinished")
    if status not in {"", "unfinished", *ActionItem.Status.values}:
        status = "unfinished"
    paged = page_of(
        request,
        meeting_selectors.action_item_list(today=timezone.localdate(), status=status),
    )
    return render(
        request,
        "meetings/action_item_list.html",
        {
            "action_items": paged.page.object_list,
            "page": paged.page,
            "query": paged.query,
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
    save_service = staticmethod(meeting_services.action_item_save)
    object_argument = "item"

    def get_success_url(self):
        return self.next_url() or self.parent.get_absolute_url()


class ActionItemUpdateView(ActionItemAccessMixin, TrackedUpdateView):
    model = ActionItem
    form_class = meeting_forms.ActionItemForm
    form_title = gettext_lazy("Edit the action item")
    save_service = staticmethod(meeting_services.action_item_save)
    object_argument = "item"

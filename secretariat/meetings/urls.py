from django.urls import path

from secretariat.meetings.views import (
    action_items,
    agenda,
    decisions,
    meetings,
    minutes,
)

app_name = "meetings"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/add/", meetings.MeetingCreateView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/edit/",
        meetings.MeetingUpdateView.as_view(),
        name="meeting_edit",
    ),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ical, name="meeting_ical"),
    path(
        "meetings/<int:pk>/held/", meetings.meeting_mark_held, name="meeting_mark_held"
    ),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    # The agenda
    path("meetings/<int:pk>/agenda/", agenda.agenda_builder, name="agenda_builder"),
    path(
        "meetings/<int:parent_pk>/agenda/add/",
        agenda.AgendaItemCreateView.as_view(),
        name="agenda_item_add",
    ),
    path(
        "meetings/<int:pk>/agenda/standard/",
        agenda.agenda_standard_items,
        name="agenda_standard_items",
    ),
    path(
        "meetings/<int:pk>/agenda/publish/",
        agenda.agenda_publish,
        name="agenda_publish",
    ),
    path(
        "meetings/<int:pk>/agenda/versions/<int:number>/",
        agenda.agenda_version_detail,
        name="agenda_version_detail",
    ),
    path(
        "agenda-items/<int:pk>/edit/",
        agenda.AgendaItemUpdateView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "agenda-items/<int:pk>/delete/",
        agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "agenda-items/<int:pk>/move/<str:direction>/",
        agenda.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "agenda-items/<int:pk>/attachments/add/",
        agenda.agenda_attachment_add,
        name="agenda_attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        agenda.agenda_attachment_download,
        name="agenda_attachment_download",
    ),
    path(
        "attachments/<int:pk>/delete/",
        agenda.agenda_attachment_delete,
        name="agenda_attachment_delete",
    ),
    # The minutes
    path("meetings/<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "agenda-items/<int:pk>/decision/",
        minutes.DecisionUpdateView.as_view(),
        name="minutes_decision_edit",
    ),
    path(
        "meetings/<int:pk>/minutes/approve/",
        minutes.minutes_approve,
        name="minutes_approve",
    ),
    # The decision register
    path("decisions/", decisions.decision_list, name="decision_list"),
    # Action items
    path("action-items/", action_items.action_item_list, name="action_item_list"),
    path(
        "meetings/<int:parent_pk>/action-items/add/",
        action_items.ActionItemCreateView.as_view(),
        name="action_item_add",
    ),
    path(
        "action-items/<int:pk>/edit/",
        action_items.ActionItemUpdateView.as_view(),
        name="action_item_edit",
    ),
]

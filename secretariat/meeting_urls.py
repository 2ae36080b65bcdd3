# Meetings, agendas, minutes and documents (issue 7); included in secretariat/urls.py.
from django.urls import path

from secretariat import meeting_views as views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/edit/",
        views.MeetingUpdateView.as_view(),
        name="meeting_edit",
    ),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ical, name="meeting_ical"),
    path("meetings/<int:pk>/held/", views.meeting_mark_held, name="meeting_mark_held"),
    # The agenda
    path("meetings/<int:pk>/agenda/", views.agenda_builder, name="agenda_builder"),
    path(
        "meetings/<int:parent_pk>/agenda/add/",
        views.AgendaItemCreateView.as_view(),
        name="agenda_item_add",
    ),
    path(
        "meetings/<int:pk>/agenda/standard/",
        views.agenda_standard_items,
        name="agenda_standard_items",
    ),
    path(
        "meetings/<int:pk>/agenda/publish/",
        views.agenda_publish,
        name="agenda_publish",
    ),
    path(
        "meetings/<int:pk>/agenda/versions/<int:number>/",
        views.agenda_version_detail,
        name="agenda_version_detail",
    ),
    path(
        "agenda-items/<int:pk>/edit/",
        views.AgendaItemUpdateView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "agenda-items/<int:pk>/delete/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "agenda-items/<int:pk>/move/<str:direction>/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "agenda-items/<int:pk>/attachments/add/",
        views.agenda_attachment_add,
        name="agenda_attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        views.agenda_attachment_download,
        name="agenda_attachment_download",
    ),
    path(
        "attachments/<int:pk>/delete/",
        views.agenda_attachment_delete,
        name="agenda_attachment_delete",
    ),
    # The minutes
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path(
        "agenda-items/<int:pk>/decision/",
        views.DecisionUpdateView.as_view(),
        name="minutes_decision_edit",
    ),
    path(
        "meetings/<int:pk>/minutes/approve/",
        views.minutes_approve,
        name="minutes_approve",
    ),
    # Documents
    path(
        "meetings/<int:pk>/documents/<str:name>/",
        views.document_request,
        name="document_request",
    ),
    path(
        "meetings/<int:pk>/documents/<str:name>/preview/",
        views.document_preview,
        name="document_preview",
    ),
    # Action items
    path("action-items/", views.action_item_list, name="action_item_list"),
    path(
        "meetings/<int:parent_pk>/action-items/add/",
        views.ActionItemCreateView.as_view(),
        name="action_item_add",
    ),
    path(
        "action-items/<int:pk>/edit/",
        views.ActionItemUpdateView.as_view(),
        name="action_item_edit",
    ),
]

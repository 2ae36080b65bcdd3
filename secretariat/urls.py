from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schedule/", views.schedule, name="schedule"),
    path("search/", views.search_view, name="search"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("calendar/", views.calendar_subscription, name="calendar_subscription"),
    path(
        "calendar/<str:token>/allianssi.ics",
        views.calendar_feed,
        name="calendar_feed",
    ),
    path("appointment/", views.appointment_current, name="appointment_current"),
    path(
        "appointments/<int:pk>/",
        views.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "appointments/<int:pk>/edit/",
        views.AppointmentUpdateView.as_view(),
        name="appointment_edit",
    ),
    path(
        "tasks/<int:pk>/edit/",
        views.AppointmentTaskUpdateView.as_view(),
        name="task_edit",
    ),
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
]

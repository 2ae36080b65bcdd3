from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
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
]

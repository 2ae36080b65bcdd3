from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]

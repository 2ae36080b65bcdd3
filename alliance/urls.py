"""The project's URLs: the only module of `alliance` that names the apps."""

from django.contrib import admin
from django.urls import include, path

from alliance import views as job_views
from alliance.views import healthz

job_patterns = [
    path("<int:pk>/", job_views.job_detail, name="job_detail"),
    path("<int:pk>/download/", job_views.job_download, name="job_download"),
    path("<int:pk>/retry/", job_views.job_retry_view, name="job_retry"),
]

handler403 = "alliance.views.permission_denied"

urlpatterns = [
    path("", include("secretariat.urls")),
    path("", include("members.auth_urls")),
    path("", include("members.urls")),
    path("", include("secretariat.meetings.urls")),
    path("", include("themes.urls")),
    path("", include("themes.proposals.urls")),
    path("", include("monitoring.urls")),
    path("jobs/", include((job_patterns, "alliance"))),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

from django.urls import path

from secretariat import (
    proposal_version_views,
    proposal_views,
    public_views,
    publicity_views,
    views,
)

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/themes/<int:pk>/", views.schedule_theme, name="schedule_theme"),
    path("search/", views.search_view, name="search"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    # The public page keeps its Finnish address in every language, as the ministry's
    # own pages do; the language switch changes the language.
    path("julkinen/", public_views.public_page, name="public"),
    path(
        "julkinen/asiakirjat/<str:kind>/<int:pk>/<str:variant>/",
        public_views.public_document_download,
        name="public_document",
    ),
    path(
        "documents/<str:kind>/<int:pk>/publicity/",
        publicity_views.publicity_edit,
        name="publicity_edit",
    ),
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
    path("progress-reports/", views.progress_reports, name="progress_reports"),
    path(
        "progress-reports/<int:pk>/download/",
        views.progress_report_download,
        name="progress_report_download",
    ),
    path(
        "proposal/versions/",
        proposal_version_views.proposal_versions,
        name="proposal_versions",
    ),
    path(
        "proposal/versions/draft/",
        proposal_version_views.proposal_draft,
        name="proposal_draft",
    ),
    path(
        "proposal/versions/final/",
        proposal_version_views.proposal_final,
        name="proposal_final",
    ),
    path(
        "proposal/versions/<int:number>/",
        proposal_version_views.proposal_version_row,
        name="proposal_version_row",
    ),
    path(
        "proposal/versions/<int:number>/<str:format>/",
        proposal_version_views.proposal_version_file,
        name="proposal_version_file",
    ),
    path(
        "proposal/versions/jobs/<int:pk>/retry/",
        proposal_version_views.proposal_file_retry,
        name="proposal_file_retry",
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
    path("proposal/", proposal_views.proposal_detail, name="proposal"),
    path(
        "proposal/edit/",
        proposal_views.ProposalUpdateView.as_view(),
        name="proposal_edit",
    ),
    path("proposal/preview/", proposal_views.proposal_preview, name="proposal_preview"),
    path(
        "proposal/sections/add/",
        proposal_views.ProposalSectionCreateView.as_view(),
        name="proposal_section_add",
    ),
    path(
        "proposal/sections/<int:pk>/",
        proposal_views.proposal_section_detail,
        name="proposal_section_detail",
    ),
    path(
        "proposal/sections/<int:pk>/edit/",
        proposal_views.ProposalSectionUpdateView.as_view(),
        name="proposal_section_edit",
    ),
    path(
        "proposal/sections/<int:pk>/remove/",
        proposal_views.proposal_section_remove,
        name="proposal_section_remove",
    ),
    path(
        "proposal/sections/<int:pk>/move/<str:direction>/",
        proposal_views.proposal_section_move,
        name="proposal_section_move",
    ),
    path("proposal/compare/", views.proposal_compare, name="proposal_compare"),
]

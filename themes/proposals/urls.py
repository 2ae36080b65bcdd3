from django.urls import path

from themes.proposals import views

app_name = "theme_proposals"

urlpatterns = [
    path("theme-proposals/", views.proposal_list, name="proposal_list"),
    path(
        "theme-proposals/review/",
        views.proposal_review_queue,
        name="proposal_review_queue",
    ),
    path(
        "theme-proposals/add/", views.ProposalCreateView.as_view(), name="proposal_add"
    ),
    path(
        "theme-proposals/closing-date/",
        views.ProposalRoundUpdateView.as_view(),
        name="proposal_round_edit",
    ),
    path(
        "theme-proposals/closing-date/reopen/",
        views.proposal_round_reopen,
        name="proposal_round_reopen",
    ),
    path("theme-proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path(
        "theme-proposals/<int:pk>/edit/",
        views.ProposalUpdateView.as_view(),
        name="proposal_edit",
    ),
    path(
        "theme-proposals/<int:pk>/status/<str:to_status>/",
        views.proposal_transition,
        name="proposal_transition",
    ),
    path(
        "theme-proposals/<int:pk>/comments/",
        views.proposal_comment_add,
        name="proposal_comment_add",
    ),
    path(
        "theme-proposals/<int:pk>/attachments/",
        views.proposal_attachment_add,
        name="proposal_attachment_add",
    ),
    path(
        "theme-proposals/<int:pk>/attachments/<int:attachment_pk>/",
        views.proposal_attachment_download,
        name="proposal_attachment_download",
    ),
    path(
        "theme-proposals/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.proposal_attachment_delete,
        name="proposal_attachment_delete",
    ),
]

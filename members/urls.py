from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path(
        "organisations/add/",
        views.OrganisationCreateView.as_view(),
        name="organisation_add",
    ),
    path(
        "organisations/<int:pk>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.BodyUpdateView.as_view(), name="body_edit"),
    path(
        "bodies/<int:parent_pk>/members/add/",
        views.MembershipCreateView.as_view(),
        name="membership_add",
    ),
    path("memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path(
        "memberships/<int:pk>/edit/",
        views.MembershipUpdateView.as_view(),
        name="membership_edit",
    ),
    path(
        "memberships/<int:pk>/move/<str:direction>/",
        views.membership_move,
        name="membership_move",
    ),
    path(
        "memberships/<int:pk>/replace/",
        views.membership_replace,
        name="membership_replace",
    ),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path(
        "nominations/add/", views.NominationCreateView.as_view(), name="nomination_add"
    ),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "nominations/<int:pk>/edit/",
        views.NominationUpdateView.as_view(),
        name="nomination_edit",
    ),
    path(
        "nominations/<int:pk>/record/",
        views.nomination_record,
        name="nomination_record",
    ),
    path(
        "nominations/<int:pk>/appoint/",
        views.nomination_appoint,
        name="nomination_appoint",
    ),
    path(
        "nominations/<int:pk>/withdraw/",
        views.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("people/add/", views.PersonCreateView.as_view(), name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("accounts/", views.account_list, name="account_list"),
    path("audit-trail/", views.audit_trail, name="audit_trail"),
    path("accounts/invite/", views.account_invite, name="account_invite"),
    path("accounts/<int:pk>/roles/", views.account_roles, name="account_roles"),
    path(
        "accounts/<int:pk>/active/",
        views.account_set_active,
        name="account_set_active",
    ),
]

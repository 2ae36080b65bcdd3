from django.urls import path

from themes import views

app_name = "themes"

urlpatterns = [
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/export.xlsx", views.theme_export, name="theme_export"),
    path("themes/add/", views.ThemeCreateView.as_view(), name="theme_add"),
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/edit/", views.ThemeUpdateView.as_view(), name="theme_edit"),
    path("themes/<int:pk>/move/<str:direction>/", views.theme_move, name="theme_move"),
    path(
        "themes/<int:parent_pk>/measures/add/",
        views.MeasureCreateView.as_view(),
        name="measure_add",
    ),
    path(
        "themes/<int:parent_pk>/milestones/add/",
        views.ThemeMilestoneCreateView.as_view(),
        name="theme_milestone_add",
    ),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path(
        "measures/<int:pk>/edit/",
        views.MeasureUpdateView.as_view(),
        name="measure_edit",
    ),
    path(
        "measures/<int:pk>/move/<str:direction>/",
        views.measure_move,
        name="measure_move",
    ),
    path(
        "measures/<int:parent_pk>/milestones/add/",
        views.MeasureMilestoneCreateView.as_view(),
        name="measure_milestone_add",
    ),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    path(
        "milestones/<int:pk>/edit/",
        views.MilestoneUpdateView.as_view(),
        name="milestone_edit",
    ),
]

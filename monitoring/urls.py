from django.urls import path

from monitoring import chart_views, import_views, round_views, views

app_name = "monitoring"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path(
        "indicators/export/<slug:table>.<slug:fmt>",
        views.indicator_export,
        name="indicator_export",
    ),
    path(
        "indicators/thresholds/",
        views.ThresholdsUpdateView.as_view(),
        name="thresholds_edit",
    ),
    path(
        "indicators/add/theme/<int:parent_pk>/",
        views.IndicatorCreateForThemeView.as_view(),
        name="indicator_add_for_theme",
    ),
    path(
        "indicators/add/measure/<int:parent_pk>/",
        views.IndicatorCreateForMeasureView.as_view(),
        name="indicator_add_for_measure",
    ),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<int:pk>/charts/<slug:kind>.svg",
        chart_views.indicator_chart,
        name="indicator_chart",
    ),
    path("cities/<slug:city>/", chart_views.city_overview, name="city_overview"),
    path("cities/<slug:city>/chart.svg", chart_views.city_chart, name="city_chart"),
    path(
        "indicators/<int:pk>/edit/",
        views.IndicatorUpdateView.as_view(),
        name="indicator_edit",
    ),
    path(
        "indicators/<int:pk>/move/<str:direction>/",
        views.indicator_move,
        name="indicator_move",
    ),
    path(
        "indicators/<int:pk>/values/add/",
        views.observation_add,
        name="observation_add",
    ),
    path(
        "indicators/<int:pk>/values/period/",
        views.observation_bulk,
        name="observation_bulk",
    ),
    path(
        "values/<int:pk>/edit/",
        views.ObservationUpdateView.as_view(),
        name="observation_edit",
    ),
    # Deleting a value and moving an indicator.
    path(
        "values/<int:pk>/delete/",
        views.observation_delete,
        name="observation_delete",
    ),
    path(
        "indicators/<int:pk>/relocate/",
        views.IndicatorRelocateView.as_view(),
        name="indicator_relocate",
    ),
    # Importing values from a spreadsheet.
    path("values/import/", import_views.observation_import, name="observation_import"),
    path(
        "values/import/confirm/",
        import_views.observation_import_confirm,
        name="observation_import_confirm",
    ),
    path(
        "values/import/template.<str:file_format>",
        import_views.observation_import_template,
        name="observation_import_template",
    ),
    path("rounds/", round_views.round_list, name="round_list"),
    path("rounds/open/", round_views.round_open, name="round_open"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", round_views.round_close, name="round_close"),
    path(
        "rounds/<int:pk>/cities/<slug:city>/",
        round_views.city_round,
        name="city_round",
    ),
    path(
        "rounds/<int:pk>/cities/<slug:city>/complete/",
        round_views.city_report_complete,
        name="city_report_complete",
    ),
]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monitoring.models import CityReport, Indicator, Observation, ReportingRound


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "theme",
        "measure",
        "frequency",
        "direction",
        "baseline_value",
        "target_value",
        "target_date",
        "reported_per_city",
        "is_example",
    ]
    list_filter = [
        "frequency",
        "direction",
        "value_type",
        "reported_per_city",
        "responsible_organisation",
        "is_example",
    ]
    list_select_related = ["theme", "measure"]
    search_fields = ["name", "definition", "data_source"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "city", "value", "entered_by", "updated_at"]
    list_filter = ["indicator__frequency", "city", "is_example"]
    list_select_related = ["indicator", "city", "entered_by"]
    search_fields = ["indicator__name", "note"]
    date_hierarchy = "period"
    readonly_fields = ["entered_by", "created_at", "updated_at"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["period", "frequency", "due_date", "status", "opened_at"]
    list_filter = ["status", "frequency", "is_example"]
    filter_horizontal = ["indicators"]
    readonly_fields = ["opened_by", "opened_at", "closed_by", "closed_at"]


@admin.register(CityReport)
class CityReportAdmin(SimpleHistoryAdmin):
    list_display = ["round", "city", "completed_at", "completed_by"]
    list_filter = ["city"]
    list_select_related = ["round", "city", "completed_by"]
    readonly_fields = ["completed_by", "completed_at", "missing_at_completion"]

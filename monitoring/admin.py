from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monitoring.models import CityReport, Indicator, Observation, ReportingRound
from monitoring.services import indicator_status_refresh


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
    readonly_fields = ["latest_status"]

    # The admin writes past the services: keep the stored status true all the same.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        indicator_status_refresh(indicators=[obj])


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "city", "value", "entered_by", "updated_at"]
    list_filter = ["indicator__frequency", "city", "is_example"]
    list_select_related = ["indicator", "city", "entered_by"]
    search_fields = ["indicator__name", "note"]
    date_hierarchy = "period"
    readonly_fields = ["entered_by", "created_at", "updated_at"]

    # The admin writes past the services: keep the stored status true all the same.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        indicator_status_refresh(indicators=[obj.indicator])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        indicator_status_refresh(indicators=[obj.indicator])

    def delete_queryset(self, request, queryset):
        indicators = list(
            Indicator.objects.filter(observations__in=queryset).distinct()
        )
        super().delete_queryset(request, queryset)
        indicator_status_refresh(indicators=indicators)


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

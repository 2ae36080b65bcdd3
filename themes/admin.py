from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.models import Measure, Milestone, Theme


class ThemeMilestoneInline(admin.TabularInline):
    model = Milestone
    fk_name = "theme"
    exclude = ["measure"]
    extra = 0


class MeasureMilestoneInline(admin.TabularInline):
    model = Milestone
    fk_name = "measure"
    exclude = ["theme"]
    extra = 0


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "lead_organisation", "order", "is_example"]
    list_filter = ["status", "lead_organisation", "is_example"]
    list_select_related = ["lead_organisation"]
    search_fields = ["title", "description", "goals"]
    inlines = [ThemeMilestoneInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "theme",
        "lead_organisation",
        "status",
        "start_date",
        "end_date",
        "progress",
        "is_example",
    ]
    list_filter = ["status", "theme", "lead_organisation", "is_example"]
    list_select_related = ["theme", "lead_organisation"]
    search_fields = ["title", "description"]
    filter_horizontal = ["participating_organisations"]
    inlines = [MeasureMilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "due_date", "done_on", "theme", "measure"]
    list_filter = ["kind", "theme", "is_example"]
    list_select_related = ["theme", "measure"]
    search_fields = ["title", "theme__title", "measure__title"]
    date_hierarchy = "due_date"

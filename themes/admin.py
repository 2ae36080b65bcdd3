from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.models import (
    Measure,
    Milestone,
    ProposalAttachment,
    ProposalComment,
    ProposalRound,
    ProposalTransition,
    Theme,
    ThemeProposal,
)


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


# The cities' theme proposals. The status changes only through the workflow
# (themes.proposal_services.proposal_transition), so the admin shows it read-only.


class ProposalTransitionInline(admin.TabularInline):
    model = ProposalTransition
    fields = ["at", "from_status", "to_status", "by", "note", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalCommentInline(admin.TabularInline):
    model = ProposalComment
    fields = ["created_at", "author", "side", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ThemeProposal)
class ThemeProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "city", "status", "theme", "submitted_at", "is_example"]
    list_filter = ["status", "city", "theme", "is_example"]
    list_select_related = ["city", "theme"]
    search_fields = ["title", "rationale", "proposed_measures", "expected_impact"]
    raw_id_fields = ["author"]
    readonly_fields = [
        "status",
        "decision_note",
        "resulting_theme",
        "submitted_at",
        "created_at",
        "updated_at",
    ]
    inlines = [
        ProposalTransitionInline,
        ProposalCommentInline,
        ProposalAttachmentInline,
    ]


@admin.register(ProposalRound)
class ProposalRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "closing_date", "reopened"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.proposals.models import (
    ProposalAttachment,
    ProposalComment,
    ProposalRound,
    ProposalTransition,
    ThemeProposal,
)

# The cities' theme proposals. The status changes only through the workflow
# (themes.proposals.services.proposal_transition), so the admin shows it read-only.


class ProposalTransitionInline(admin.TabularInline):
    model = ProposalTransition
    fields = ["at", "from_status", "to_status", "by", "note"]
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

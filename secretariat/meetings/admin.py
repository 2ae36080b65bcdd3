from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from secretariat.meetings.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
    MeetingStatusChange,
)


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = [
        "order",
        "kind",
        "title",
        "presenter",
        "decision_proposal",
        "measure",
        "outcome",
    ]
    show_change_link = True


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["membership", "status", "substitute"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "number", "starts_at", "status", "is_example"]
    list_filter = ["body", "status", "is_example"]
    search_fields = ["place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "followed_version"]
    inlines = [AgendaItemInline, AttendanceInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "kind", "order", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["title", "description", "decision_proposal", "decision"]


@admin.register(AgendaAttachment)
class AgendaAttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "content_type", "size", "uploaded_at"]
    search_fields = ["title"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "published_at", "published_by"]
    readonly_fields = ["meeting", "number", "content", "published_at", "published_by"]


@admin.register(MeetingStatusChange)
class MeetingStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "due_date", "status", "meeting", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["title", "description"]
    date_hierarchy = "due_date"

from django.contrib import admin

from alliance.models import (
    AccessibilityFeedback,
    AuditEvent,
    InstallationSetting,
    Job,
    OutboxAttachment,
    OutboxMessage,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only the app writes: shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "task_name", "state", "requested_by", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "task_name", "error"]
    readonly_fields = ["created_at", "started_at", "finished_at", "attempts"]


class OutboxAttachmentInline(admin.TabularInline):
    model = OutboxAttachment
    fields = ["filename", "content_type"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["pk", "recipient", "subject", "status", "attempts", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["recipient", "subject", "key", "last_error"]
    date_hierarchy = "created_at"
    fields = [
        "key",
        "recipient",
        "language",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    inlines = [OutboxAttachmentInline]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "page", "email", "language"]
    list_filter = ["language"]
    search_fields = ["message", "page", "email"]
    date_hierarchy = "created_at"
    fields = ["created_at", "language", "email", "page", "message"]
    readonly_fields = fields


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "address", "what"]
    list_filter = ["kind"]
    search_fields = ["username", "what", "path"]
    date_hierarchy = "at"
    fields = ["at", "kind", "user", "username", "address", "path", "what"]
    readonly_fields = fields


@admin.register(InstallationSetting)
class InstallationSettingAdmin(ReadOnlyAdmin):
    list_display = ["name", "value", "stored_at"]
    fields = ["name", "value", "stored_at"]
    readonly_fields = fields

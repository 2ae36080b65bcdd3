from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from secretariat.models import (
    Appointment,
    AppointmentTask,
    ModelProposalFile,
    ModelProposalVersion,
    Signatory,
)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class AppointmentTaskInline(admin.TabularInline):
    model = AppointmentTask
    extra = 0
    fields = ["number", "text", "text_sv", "status", "responsible"]


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["diary_number", "date", "document_type", "issuer", "body"]
    list_filter = ["document_type", "issuer"]
    search_fields = ["diary_number", "title_fi", "title_sv"]
    date_hierarchy = "date"
    inlines = [SignatoryInline, AppointmentTaskInline]


@admin.register(AppointmentTask)
class AppointmentTaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "text", "status", "responsible", "appointment"]
    list_filter = ["status", "appointment"]
    search_fields = ["text", "text_sv"]


class FrozenAdmin(admin.ModelAdmin):
    """A stored version and its files are shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModelProposalVersion)
class ModelProposalVersionAdmin(FrozenAdmin):
    list_display = ["number", "proposal", "created_by", "created_at"]
    readonly_fields = ["proposal", "number", "snapshot", "created_by", "created_at"]


@admin.register(ModelProposalFile)
class ModelProposalFileAdmin(FrozenAdmin):
    list_display = ["version", "format", "size", "sha256", "created_at"]
    readonly_fields = ["version", "format", "file", "sha256", "size", "created_at"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from secretariat.models import Appointment, AppointmentTask, Signatory


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class AppointmentTaskInline(admin.TabularInline):
    model = AppointmentTask
    extra = 0
    fields = ["number", "text", "status", "responsible"]


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
    search_fields = ["text"]

from django.contrib import admin

from alliance.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "task_name", "state", "requested_by", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "task_name", "error"]
    readonly_fields = ["created_at", "started_at", "finished_at", "attempts"]

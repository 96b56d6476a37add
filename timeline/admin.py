from django.contrib import admin

from .models import Milestone


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["what", "who", "weeks_label", "status", "deliverable", "process"]
    list_filter = ["process", "status", "deliverable", "who"]
    search_fields = ["what", "who", "responsible", "notes"]
    list_select_related = ["process"]
    autocomplete_fields = ["responsible_users"]
    readonly_fields = ["uid", "version", "updated_at"]
    ordering = ["process", "order"]

from django.contrib import admin

from .models import Finding, FindingsSummary, ItemTag, Source


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "order"]
    list_filter = ["process"]
    search_fields = ["title", "description"]
    filter_horizontal = ["sources"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "assigned_to", "process"]
    list_filter = ["process", "kind", "status"]
    search_fields = ["title", "notes", "says"]


@admin.register(ItemTag)
class ItemTagAdmin(admin.ModelAdmin):
    list_display = ["finding", "answer", "slot"]
    list_select_related = ["finding", "answer__group", "answer__question"]


admin.site.register(FindingsSummary)

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Answer, Group, Question, Workshop


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    readonly_fields = ["code"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "status", "process"]
    list_filter = ["process", "status"]
    search_fields = ["title", "place"]
    inlines = [QuestionInline, GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "code"]
    list_filter = ["workshop"]
    readonly_fields = ["code"]
    actions = ["regenerate_codes"]

    @admin.action(description=_("Give the selected groups new codes"))
    def regenerate_codes(self, request, queryset):
        for group in queryset:
            services.group_regenerate_code(group=group)
        self.message_user(request, _("New codes were made."), messages.SUCCESS)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["group", "question", "edited_by", "edited_at", "submitted_at"]
    list_filter = ["question__workshop", "question"]
    list_select_related = ["group", "question"]
    readonly_fields = ["version"]

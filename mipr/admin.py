from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Membership, Process

admin.site.site_header = _("MIPR strategy portal – administration")
admin.site.site_title = _("MIPR strategy portal")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "council_short", "period_label", "year", "is_public"]
    list_filter = ["is_public", "year"]
    search_fields = ["name", "council", "council_short"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "process", "role"]
    list_filter = ["role", "process"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "process"]
    autocomplete_fields = ["user", "process"]


class ProcessMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["process"]
    verbose_name_plural = _("roles in processes")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [ProcessMembershipInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the portal, never by hand."""

    list_display = ["at", "actor", "action", "model", "object_repr", "process"]
    list_filter = ["action", "model"]
    search_fields = ["actor", "object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

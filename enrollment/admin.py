"""The admin site is for system administrators (superusers) only: areas, organisations and
user accounts. Personal data is worked in the portal, where it is scoped and audited."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent, Area, BenefitParameterSet, ContributionStandard, Organisation, User


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Area)
class AreaAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "stage", "county")
    list_filter = ("kind", "county")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(SuperuserOnly, DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "area", "organisation", "is_active")
    list_filter = ("role", "area", "is_active")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ("role", "area", "organisation", "phone")}),
    )
    raw_id_fields = ("organisation",)


@admin.register(AccessEvent)
class AccessEventAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("at", "user", "action", "subject", "record_count", "ip_address")
    list_filter = ("action",)
    readonly_fields = [f.name for f in AccessEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenefitParameterSet)
class BenefitParameterSetAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("area", "effective_from", "original_cap", "continuous_reward_per_year", "zero_claim_reward_per_year")
    list_filter = ("area",)


@admin.register(ContributionStandard)
class ContributionStandardAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("area", "year", "individual", "subsidy", "source")
    list_filter = ("area", "year")

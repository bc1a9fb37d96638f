"""Admin (superusers only, as for the registry): the bureau contacts printed on notices and
the log of reminders sent. The reminder schedule itself is django-celery-beat's
"Periodic tasks" in the same admin."""
from django.contrib import admin

from enrollment.admin import SuperuserOnly

from .models import CountyContact, ReminderLog


@admin.register(CountyContact)
class CountyContactAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("county", "office", "phone", "address", "hours")


@admin.register(ReminderLog)
class ReminderLogAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("kind", "subject_key", "recipient", "county", "sent_at")
    list_filter = ("kind",)
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

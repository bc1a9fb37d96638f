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


# Issue 19: message templates (editable), guardians' preferences and the messages sent (read).
from .models import GuardianMessage, GuardianPreference, MessageTemplate  # noqa: E402


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("purpose", "county", "text")
    list_filter = ("purpose",)


@admin.register(GuardianPreference)
class GuardianPreferenceAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("county", "phone", "consent", "do_not_contact", "recorded_by", "recorded_at")
    list_filter = ("consent", "do_not_contact")


@admin.register(GuardianMessage)
class GuardianMessageAdmin(ReminderLogAdmin):
    list_display = ("purpose", "county", "phone", "status", "attempts", "created_at", "sent_at")
    list_filter = ("purpose", "status")
    date_hierarchy = "created_at"

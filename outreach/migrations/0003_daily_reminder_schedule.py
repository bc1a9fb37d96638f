"""Install the daily reminder run in django-celery-beat's database schedule.

Staff see and change it in the admin (Periodic tasks); this migration only creates it once
and never overwrites a schedule someone has changed.
"""
from django.db import migrations

TASK_NAME = "outreach.send_reminders"
ENTRY_NAME = "Daily reminders (newborns, tasks, dispatch deadlines, publicity month)"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME, defaults={"task": TASK_NAME, "crontab": schedule, "enabled": True}
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_contacts_notifications_notices"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

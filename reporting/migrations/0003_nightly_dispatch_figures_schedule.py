"""Install the nightly refresh of the stored dispatch figures in django-celery-beat's schedule.

Staff see and change it in the admin (Periodic tasks); this migration only creates it once
and never overwrites a schedule someone has changed (as outreach's daily reminders).
"""
from django.db import migrations

TASK_NAME = "reporting.refresh_dispatch_figures"
ENTRY_NAME = "Nightly dispatch table figures (current period, every county)"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME, defaults={"task": TASK_NAME, "crontab": schedule, "enabled": True}
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_stored_dispatch_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

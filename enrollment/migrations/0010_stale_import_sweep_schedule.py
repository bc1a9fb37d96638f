"""Install the sweep of imports whose worker was killed in django-celery-beat's schedule:
every five minutes (staff may change it in the admin; never overwritten once created)."""
from django.db import migrations

TASK_NAME = "enrollment.requeue_stale_imports"
ENTRY_NAME = "Imports whose worker was lost are queued again"


def install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=ENTRY_NAME, defaults={"task": TASK_NAME, "interval": schedule, "enabled": True}
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=ENTRY_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0009_city_access_events"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

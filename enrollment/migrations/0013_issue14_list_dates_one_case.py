"""Issue 14: a list's date (数据截至日期); one uninsured case per child and insurance year.

Existing lists get the day they were imported as their list date (the best the data say).
Cases of one child and year found by several sources are merged into the oldest one: its
sources are listed, the first confirmed reason is kept, referrals and tasks move to it and
only its oldest unfinished task stays unfinished (the others' contacts move to it)."""
from django.db import migrations, models
from django.utils import timezone

SOURCE_ORDER = ("kindergarten", "school", "health", "newborn", "withholding")
ACTIVE = ("open", "done")


def _check_constraints_now(schema_editor):
    """PostgreSQL refuses to ALTER a table with deferred foreign-key checks pending: run them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fill_list_dates(apps, schema_editor):
    ImportBatch = apps.get_model("enrollment", "ImportBatch")
    for batch in ImportBatch.objects.filter(kind__in=("school_roster", "health_list", "newborns"),
                                            list_date__isnull=True):
        moment = batch.imported_at or batch.uploaded_at
        batch.list_date = timezone.localtime(moment).date() if moment else None
        batch.save(update_fields=["list_date"])
    _check_constraints_now(schema_editor)


def merge_cases(apps, schema_editor):
    UninsuredCase = apps.get_model("enrollment", "UninsuredCase")
    CaseReferral = apps.get_model("enrollment", "CaseReferral")
    OutreachTask = apps.get_model("outreach", "OutreachTask")
    ContactRecord = apps.get_model("outreach", "ContactRecord")
    groups = {}
    for case in UninsuredCase.objects.order_by("found_on", "pk"):
        groups.setdefault((case.person_id, case.insurance_year), []).append(case)
    for cases in groups.values():
        keeper, others = cases[0], cases[1:]
        found = {case.source for case in cases}
        keeper.sources = ",".join(s for s in SOURCE_ORDER if s in found)
        for other in others:
            if not keeper.reason and other.reason:
                keeper.reason, keeper.reason_note = other.reason, other.reason_note
                keeper.reason_set_by_id, keeper.reason_set_at = other.reason_set_by_id, other.reason_set_at
            if keeper.insured_on is None and other.insured_on is not None:
                keeper.insured_on, keeper.closed_by_id = other.insured_on, other.closed_by_id
        if others:
            ids = [other.pk for other in others]
            CaseReferral.objects.filter(case_id__in=ids).update(case_id=keeper.pk)
            OutreachTask.objects.filter(case_id__in=ids).update(case_id=keeper.pk)
            UninsuredCase.objects.filter(pk__in=ids).delete()
            active = list(OutreachTask.objects.filter(case_id=keeper.pk, status__in=ACTIVE)
                          .order_by("created_at", "pk"))
            for extra in active[1:]:
                ContactRecord.objects.filter(task_id=extra.pk).update(task_id=active[0].pk)
                extra.delete()
        keeper.save()
    _check_constraints_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('enrollment', '0012_issue20_person_school_index'),
        ('outreach', '0003_daily_reminder_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='importbatch',
            name='list_date',
            field=models.DateField(blank=True, null=True, verbose_name='data as of'),
        ),
        migrations.AddField(
            model_name='uninsuredcase',
            name='sources',
            field=models.CharField(blank=True, max_length=80, verbose_name='sources'),
        ),
        migrations.RunPython(fill_list_dates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='uninsuredcase',
            name='uninsured_case_once',
        ),
        migrations.RunPython(merge_cases, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='uninsuredcase',
            constraint=models.UniqueConstraint(fields=('person', 'insurance_year'), name='uninsured_case_once_per_year'),
        ),
    ]

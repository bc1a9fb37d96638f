"""The closed loop: enrollment imports close the outreach tasks of the children now insured."""
import datetime

from django.dispatch import receiver

from enrollment.signals import cases_departed, cases_insured

from . import services
from .models import Outcome, OutreachTask, TaskStatus


@receiver(cases_insured, dispatch_uid="outreach.close_insured_tasks")
def close_tasks_of_insured_cases(sender, case_ids, insured_on, **kwargs):
    services.close_insured_tasks(case_ids=case_ids, insured_on=insured_on)


@receiver(cases_departed, dispatch_uid="outreach.close_departed_tasks")
def close_tasks_of_departed_cases(sender, case_ids, **kwargs):
    OutreachTask.objects.filter(case_id__in=case_ids, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, outcome=Outcome.MOVED_AWAY, closed_on=datetime.date.today())

"""The closed loop: enrollment imports close the outreach tasks of the children now insured."""
from django.dispatch import receiver

from enrollment.signals import cases_insured

from . import services


@receiver(cases_insured, dispatch_uid="outreach.close_insured_tasks")
def close_tasks_of_insured_cases(sender, case_ids, insured_on, **kwargs):
    services.close_insured_tasks(case_ids=case_ids, insured_on=insured_on)

"""Demo step of the reporting app: the demo counties submitted their last reporting periods,
through the real service, so the periods page lists them and the trend chart has points."""
import datetime

from django.utils import timezone

from enrollment.models import Role, User

from . import periods, services

PERIODS_SUBMITTED = 3


def build(stdout, today):
    past = [period for period in periods.periods(today) if period.deadline < today][-PERIODS_SUBMITTED:]
    users = list(User.objects.filter(role=Role.COUNTY, username__startswith="county_").order_by("username"))
    count = 0
    for user in users:
        for period in past:
            sent = timezone.make_aware(datetime.datetime.combine(
                period.deadline - datetime.timedelta(days=2), datetime.time(10)))
            services.submit_report(user=user, deadline=period.deadline, now=sent)
            count += 1
    stdout.write(f"Reporting: {count} submitted dispatch tables ({len(past)} periods x {len(users)} counties)")

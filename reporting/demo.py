"""Demo step of the reporting app: the demo counties submitted their last reporting periods,
through the real service, so the periods page lists them and the trend chart has points; the
city accepted the older ones. Also the logins of this app: the city's medical insurance
centre (a reporting unit like a county) and the city's read-only supervisory departments."""
import datetime

from django.utils import timezone

from enrollment.demo.registry import DEMO_PASSWORD
from enrollment.models import Area, Role, User

from . import periods, services
from .models import SubmittedReport

PERIODS_SUBMITTED = 3
# (username, role, area, name shown): 市医保中心 and the city's 妇儿工委, education and health bureaus.
LOGINS = (
    ("center_ningde", Role.COUNTY, "350999", "宁德市医保中心 科员"),
    ("fuer_ningde", Role.SUPERVISOR, "350900", "宁德市妇儿工委办公室"),
    ("edu_ningde", Role.SUPERVISOR, "350900", "宁德市教育局"),
    ("health_ningde", Role.SUPERVISOR, "350900", "宁德市卫生健康委员会"),
)


def build(stdout, today):
    _logins(stdout)
    past = [period for period in periods.periods(today) if period.deadline < today][-PERIODS_SUBMITTED:]
    users = list(User.objects.filter(role=Role.COUNTY, username__startswith="county_").order_by("username"))
    count = 0
    for user in users:
        for period in past:
            sent = timezone.make_aware(datetime.datetime.combine(
                period.deadline - datetime.timedelta(days=2), datetime.time(10)))
            services.submit_report(user=user, deadline=period.deadline, now=sent, unit=f"{user.area.name}医疗保障局",
                                   checked_by="林主任", phone="0593-2822100",
                                   progress="按月开展数据比对，完成学校名单和接种名单的比对与动员。",
                                   problems="部分流动儿童联系不上。", suggestions="请市局协调公安户籍数据共享。")
            count += 1
    reviewer = User.objects.filter(role=Role.CITY, username="city_ningde").first()
    accepted = 0
    older = SubmittedReport.objects.filter(deadline__in=[p.deadline for p in past[:-1]], county__parent_id="350900")
    for report in older if reviewer else []:
        services.review_report(user=reviewer, pk=report.pk, accept=True, now=report.submitted_at,
                               email_backend="django.core.mail.backends.dummy.EmailBackend")
        accepted += 1
    stdout.write(f"Reporting: {count} submitted dispatch tables ({len(past)} periods x {len(users)} counties), "
                 f"{accepted} accepted by the city")


def _logins(stdout):
    for username, role, code, name in LOGINS:
        area = Area.objects.filter(pk=code).first()
        if area is None or User.objects.filter(username=username).exists():
            continue
        user = User(username=username, role=role, area=area, last_name=name, email=f"{username}@example.invalid")
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        stdout.write(f"  {username:<20} {user.get_role_display()} · {area.name}")

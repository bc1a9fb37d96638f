"""Each role's home page shows figures of its own scope only; the audit log is bureau-only."""
import pytest
from django.urls import reverse

from enrollment.models import AccessEvent

from .factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(county_a, county_b, school_a):
    for n in range(3):
        make_person(county_a, name=f"甲{n}", school=school_a if n == 0 else None)
    for n in range(5):
        make_person(county_b, name=f"乙{n}")


def children_figure(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["summary"]["children"]


def test_county_home_counts_own_county(registry, login, county_user_a, county_user_b):
    assert children_figure(login(county_user_a)) == 3
    assert children_figure(login(county_user_b)) == 5


def test_city_home_lists_its_counties(registry, login, city_user):
    client = login(city_user)
    assert children_figure(client) == 8
    counties = {c.code: c.person_count for c in client.get(reverse("home")).context["counties"]}
    # nine counties and the city's medical insurance centre (a reporting unit like a county)
    assert counties["350902"] == 3 and counties["350921"] == 5 and len(counties) == 10


def test_school_home_counts_its_students(registry, login, school_user_a):
    assert children_figure(login(school_user_a)) == 1


def test_navigation_follows_the_role(login, county_user_a, school_user_a):
    county_page = login(county_user_a).get(reverse("home")).content.decode()
    school_page = login(school_user_a).get(reverse("home")).content.decode()
    assert "访问日志" in county_page
    assert "访问日志" not in school_page
    for heading in ("参保数据", "动员", "统计报表", "工具"):
        assert f'<div class="navgroup-label">{heading}</div>' in county_page
    for bureau_only in ("调度表", "待遇测算"):
        assert bureau_only in county_page and bureau_only not in school_page


def test_audit_log_shows_own_county_only(login, county_user_a, county_user_b, school_user_a):
    AccessEvent.objects.create(user=county_user_a, action="export", subject="甲县导出", county_id="350902")
    AccessEvent.objects.create(user=county_user_b, action="export", subject="乙县导出", county_id="350921")
    page = login(county_user_a).get(reverse("audit_log")).content.decode()
    assert "甲县导出" in page and "乙县导出" not in page
    assert login(school_user_a).get(reverse("audit_log")).status_code == 404


def test_the_navigation_counts_a_users_unread_notifications(login, county_user_a, county_user_b):
    from outreach.models import Notification

    for title in ("调度表截止提醒", "新生儿参保提醒"):
        Notification.objects.create(recipient=county_user_a, kind="dispatch", title=title)
    Notification.objects.create(recipient=county_user_a, kind="dispatch", title="已读", read=True)
    badge = '消息提醒 <span class="count">{}</span>'
    assert badge.format(2) in login(county_user_a).get(reverse("home")).content.decode()
    assert '<span class="count">' not in login(county_user_b).get(reverse("home")).content.decode()


def test_bureau_home_shows_the_next_dispatch_deadline(login, county_user_a, school_user_a):
    from django.utils import timezone

    from reporting.periods import next_due

    due = next_due(timezone.localdate())
    page = login(county_user_a).get(reverse("home")).content.decode()
    assert f"下次调度表报送截止：{due.deadline.year}年{due.deadline.month}月11日" in page
    assert reverse("reporting_dispatch") in page
    assert "下次调度表报送截止" not in login(school_user_a).get(reverse("home")).content.decode()

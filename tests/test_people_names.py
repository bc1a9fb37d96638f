"""People are shown by name and unit, not by login name (issue 17): imports, comparison
history, task contacts, the audit log; the demo users have names, not their roles."""
import datetime

import pytest

from enrollment.models import AccessEvent, ComparisonRun, Role
from outreach.models import ContactRecord
from tests.factories import make_user
from tests.trust_helpers import world_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(county_a):
    user = make_user(Role.COUNTY, area=county_a, username="chen_jh")
    user.last_name, user.first_name = "陈", "建华"
    user.save()
    return user


def test_the_audit_log_names_the_user_and_unit_and_finds_them_by_name(login, named, county_user_a):
    AccessEvent.objects.create(user=named, action="view_list", subject="一人一档", county_id=named.area_id)
    client = login(county_user_a)
    text = client.get("/audit/").content.decode()
    assert "陈建华（蕉城区医保局）" in text and ">chen_jh<" not in text
    assert "陈建华（蕉城区医保局）" in client.get("/audit/", {"user": "陈建华"}).content.decode()
    assert "陈建华（蕉城区医保局）" not in client.get("/audit/", {"user": "李"}).content.decode()


def test_imports_name_the_uploader_with_the_school(login, county_a, school_a, county_user_a):
    liaison = make_user(Role.SCHOOL, organisation=school_a, username="lin_xy")
    liaison.last_name, liaison.first_name = "林", "秀英"
    liaison.save()
    world = world_of(county_a, marker="丁小一")
    world.batch.uploaded_by = liaison
    world.batch.save()
    client = login(county_user_a)
    for url in ("/imports/", f"/imports/{world.batch.pk}/"):
        text = client.get(url).content.decode()
        assert "林秀英（蕉城实验小学）" in text and "lin_xy" not in text, url


def test_comparison_history_and_task_contacts_name_people(login, named, county_a, county_user_a, clinic_a):
    ComparisonRun.objects.create(county=county_a, as_of=datetime.date(2026, 11, 1), run_by=named, results={})
    assert "陈建华（蕉城区医保局）" in login(county_user_a).get("/comparison/").content.decode()
    world = world_of(county_a, marker="丁小二", owner=clinic_a)
    doctor = make_user(Role.HEALTH, organisation=clinic_a, username="doc_z")
    doctor.last_name, doctor.first_name = "郑", "志强"
    doctor.save()
    ContactRecord.objects.filter(pk=world.contact.pk).update(by=doctor)
    text = login(county_user_a).get(f"/outreach/tasks/{world.task.pk}/").content.decode()
    assert "郑志强（蕉城区预防接种门诊）" in text and "doc_z" not in text


def test_a_user_without_a_name_is_shown_by_login_name_and_unit(county_a):
    user = make_user(Role.COUNTY, area=county_a, username="nobody_yet")
    assert user.display_name == "nobody_yet（蕉城区医保局）"


def test_demo_users_have_names_that_do_not_repeat_their_role():
    from enrollment.demo.registry import DEMO_NAMES

    roles = ("联络员", "医生", "干部", "网格员", "科员", "医保局")
    for names in DEMO_NAMES.values():
        assert len(names) == 7 and len(set(names)) == 7
        for family, given in names:
            assert 2 <= len(family + given) <= 4 and not any(r in family + given for r in roles)

"""Sampled call-backs (抽样回访): after the 2027 concentrated period (ending 31 December 2026)
the county draws a reproducible sample of the children it reports uninsured, stratified by
reason and partner, assigns the calls to its staff and reports the confirmation rate."""
import datetime

import pytest
from django.urls import reverse

from enrollment.models import Role
from outreach import callbacks
from outreach.models import Callback, CallbackOutcome, CallbackSample, OutreachTask
from outreach.services import OutreachError

from .factories import make_case, make_user

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2027, 1, 15)


@pytest.fixture
def population(county_a, school_a, federation_a):
    """40 unwilling (school), 20 unreachable (federation), 20 without a reason, 5 insured."""
    staff = make_user(Role.COUNTY, area=county_a, username="clerk")
    cases = []
    for n, (reason, partner) in enumerate([("unwilling", school_a)] * 40 + [("unreachable", federation_a)] * 20
                                          + [("", None)] * 20):
        case = make_case(county_a, year=2027, name=f"儿童{n:02d}")
        case.reason = reason
        case.save(update_fields=["reason"])
        if partner:
            OutreachTask.objects.create(case=case, person=case.person, county=county_a, assignee=partner,
                                        due_on=datetime.date(2026, 12, 1), created_by=staff)
        cases.append(case)
    for n in range(5):
        make_case(county_a, year=2027, name=f"已参保{n}", insured_on=datetime.date(2026, 12, 1))
    return cases


def test_the_same_seed_draws_the_same_stratified_sample(county_user_a, population, school_a, federation_a):
    first = callbacks.draw(user=county_user_a, year=2027, seed="2027回访", size=16, today=AFTER)
    again = callbacks.draw(user=county_user_a, year=2027, seed="2027回访", size=16, today=AFTER)
    other = callbacks.draw(user=county_user_a, year=2027, seed="另一个", size=16, today=AFTER)

    def picked(sample):
        return sorted(sample.callbacks.values_list("person_id", flat=True))

    assert first.population == 80  # the insured are not in it
    assert picked(first) == picked(again) != picked(other)
    strata = {(c.reason, c.partner_id) for c in first.callbacks.all()}
    counts = {key: first.callbacks.filter(reason=key[0], partner_id=key[1]).count() for key in strata}
    assert counts == {("unwilling", school_a.pk): 8, ("unreachable", federation_a.pk): 4, ("uninsured", None): 4}
    assert callbacks.draw(user=county_user_a, year=2027, seed="x", percent=10, today=AFTER).callbacks.count() == 8


def test_no_sample_before_the_period_ends(county_user_a, population):
    with pytest.raises(OutreachError, match="尚未结束"):
        callbacks.draw(user=county_user_a, year=2027, seed="s", size=5, today=datetime.date(2026, 12, 31))


def test_calls_are_assigned_to_staff_and_the_report_gives_the_confirmation_rate(
        county_a, county_user_a, population, login, school_a):
    sample = callbacks.draw(user=county_user_a, year=2027, seed="s", size=16, today=AFTER)
    colleague = make_user(Role.COUNTY, area=county_a, username="colleague")
    colleague.last_name, colleague.first_name = "周", "敏"
    colleague.save()
    assert callbacks.assign(user=county_user_a, sample=sample, staff=[county_user_a, colleague]) == 16
    assert sample.callbacks.filter(assigned_to=colleague).count() == 8
    school_rows = list(sample.callbacks.filter(partner=school_a).order_by("pk"))
    outcomes = [CallbackOutcome.CONFIRMED] * 5 + [CallbackOutcome.WRONG, CallbackOutcome.NOW_INSURED,
                                                   CallbackOutcome.UNREACHABLE]
    client = login(county_user_a)
    for row, outcome in zip(school_rows, outcomes):
        client.post(reverse("outreach_callback", args=[sample.pk]),
                    {"action": "outcome", "callback": row.pk, "outcome": outcome})
    by_partner, by_reason = callbacks.report(Callback.objects.filter(sample=sample))
    school = next(r for r in by_partner if r["partner_id"] == school_a.pk)
    assert (school["confirmed"], school["unreachable"], school["rate"]) == (5, 1, "71.4%")  # 5 of 7 reached
    unwilling = next(r for r in by_reason if r["reason"] == "unwilling")
    assert unwilling["rate"] == "71.4%"
    page = client.get(reverse("outreach_callback", args=[sample.pk])).content.decode()
    assert "71.4%" in page
    assert "周敏（" in page and ">colleague<" not in page, "call-backs name the staff member and unit"


def test_another_county_cannot_see_or_touch_the_sample(county_user_a, county_user_b, city_user, population, login):
    sample = callbacks.draw(user=county_user_a, year=2027, seed="s", size=4, today=AFTER)
    row = sample.callbacks.first()
    client = login(county_user_b)
    assert client.get(reverse("outreach_callback", args=[sample.pk])).status_code == 404
    assert client.post(reverse("outreach_callback", args=[sample.pk]),
                       {"action": "outcome", "callback": row.pk, "outcome": "confirmed"}).status_code == 404
    assert "尚未抽取样本" in client.get(reverse("outreach_callbacks")).content.decode()  # A's sample not listed
    assert login(city_user).get(reverse("outreach_callback", args=[sample.pk])).status_code == 200
    assert login(city_user).post(reverse("outreach_callbacks"), {"year": 2027, "seed": "c", "size": 3}).status_code == 404
    row.refresh_from_db()
    assert row.outcome == "" and CallbackSample.objects.count() == 1

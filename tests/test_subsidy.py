"""Subsidised enrollment of difficult children (issue 18): per group on the cut-off, insured,
insured with a subsidy, not insured, the people behind each figure, the export; scoped,
masked, audited."""
import datetime

import pytest
from django.urls import reverse

from enrollment.models import AccessAction, AccessEvent, PersonSpecialGroup, PersonStatus
from reporting.subsidy import figures

from .factories import enroll, make_person
from .trust_helpers import xlsx_rows

D = datetime.date
CUTOFF = D(2026, 11, 20)
QUERY = {"as_of": "2026-11-20"}


@pytest.fixture
def difficult(county_a, county_b):
    def child(name, group, *, county=county_a, valid_from=D(2025, 1, 1), valid_until=None, **fields):
        person = make_person(county, name=name, **fields)
        PersonSpecialGroup.objects.create(person=person, group=group, valid_from=valid_from, valid_until=valid_until)
        return person

    subsidised = child("资助甲", "subsistence")
    enroll(subsidised, 2026, channel="subsidy")
    paid_self = child("自缴乙", "subsistence")
    enroll(paid_self, 2026, channel="tax")
    PersonSpecialGroup.objects.create(person=paid_self, group="left_behind", valid_from=D(2025, 1, 1))
    child("未参保丙", "orphan")
    child("已退出丁", "subsistence", valid_until=D(2025, 12, 31))  # not a member on the cut-off
    child("已故戊", "orphan", status=PersonStatus.DECEASED, status_on=D(2026, 6, 1))
    child("霞浦己", "subsistence", county=county_b)
    return subsidised, paid_self


@pytest.mark.django_db
def test_figures_per_group_and_in_total(difficult, county_a, county_user_a):
    rows = {code: counts for code, _label, counts in figures.table(county_user_a, [county_a.pk], CUTOFF)}
    assert rows["subsistence"] == {"children": 2, "insured": 2, "subsidised": 1, "uninsured": 0}
    assert rows["orphan"] == {"children": 1, "insured": 0, "subsidised": 0, "uninsured": 1}
    assert rows["left_behind"] == {"children": 1, "insured": 1, "subsidised": 0, "uninsured": 0}
    assert rows[figures.ALL] == {"children": 3, "insured": 2, "subsidised": 1, "uninsured": 1}  # each once


@pytest.mark.django_db
def test_people_behind_a_figure_masked_and_audited(difficult, login, county_user_a, county_user_b):
    subsidised, _paid_self = difficult
    url = reverse("reporting_subsidy_people", args=["subsistence", "subsidised"])
    page = login(county_user_a).get(url, QUERY).content.decode()
    assert "资助甲" in page and "自缴乙" not in page
    assert subsidised.id_number not in page and subsidised.id_number[:6] + "********" in page
    assert AccessEvent.objects.filter(user=county_user_a, action=AccessAction.VIEW_LIST).exists()
    other = login(county_user_b).get(url, QUERY).content.decode()
    assert "资助甲" not in other
    assert login(county_user_a).get(reverse("reporting_subsidy_people", args=["nobody", "insured"]),
                                     QUERY).status_code == 404


@pytest.mark.django_db
def test_export_lists_figures_and_people_with_masked_ids(difficult, login, county_user_a):
    subsidised, _paid_self = difficult
    response = login(county_user_a).get(reverse("reporting_subsidy_export"), QUERY)
    rows = xlsx_rows(response.content)
    text = "\n".join("\t".join(row) for row in rows)
    assert "资助甲" in text and subsidised.id_number not in text and "霞浦己" not in text
    assert AccessEvent.objects.filter(user=county_user_a, action=AccessAction.EXPORT).get().record_count == 4

@pytest.mark.django_db
def test_the_city_adds_its_counties(difficult, login, city_user, city, county_a, county_b):
    codes = [county.pk for county in (county_a, county_b)]
    rows = {code: counts for code, _label, counts in figures.table(city_user, codes, CUTOFF)}
    assert rows["subsistence"]["children"] == 3 and rows[figures.ALL]["uninsured"] == 2
    page = login(city_user).get(reverse("reporting_subsidy"), {**QUERY, "area": city.pk})
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_table_for_a_past_cutoff_still_counts_a_child_who_died_later(difficult, county_a, county_user_a):
    """已故戊 died on 1 June 2026: on 31 May it was an uninsured orphan, and a table as of that
    day must say so whatever the registry learnt since."""
    rows = {code: counts for code, _label, counts in figures.table(county_user_a, [county_a.pk], D(2026, 5, 31))}
    assert rows["orphan"]["children"] == 2
    people = figures.people(county_user_a, [county_a.pk], D(2026, 5, 31), "orphan", "uninsured")
    assert {p.name for p in people} == {"未参保丙", "已故戊"}

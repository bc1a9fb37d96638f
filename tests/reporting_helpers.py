"""The hand-built county of the reporting tests: every cell of its dispatch table is known.

Cut-off 2024-06-30. ``dispatch_world`` builds it; ``EXPECTED_A`` / ``EXPECTED_B`` are its rows.
"""
import datetime
from types import SimpleNamespace

import pytest

from enrollment.models import Person, Scheme
from reporting.dispatch import figures as dispatch

from .factories import add_list_entries as _list
from .factories import enroll, make_case, make_import_batch, make_organisation, make_person

D = datetime.date
CUTOFF = D(2024, 6, 30)
PAID = D(2024, 1, 15)


def _batch(county, kind, imported, organisation=None):
    return make_import_batch(county, kind, organisation=organisation, imported_on=imported)


def _case(person, source, *, year=2024, found=D(2024, 3, 5), insured_on=None):
    return make_case(person=person, source=source, year=year, found_on=found, insured_on=insured_on)


@pytest.fixture
def dispatch_world(county_a, county_b, school_a, clinic_a):
    """County A: 15 insured 0-18 with children on every band edge; its lists; county B: 2.
    A child is counted where it is insured, whoever keeps its file."""
    kindergarten = make_organisation(county_a, kind="kindergarten", name="蕉城幼儿园")
    P = lambda name, born, county=county_a, **kw: make_person(county, name=name, birth_date=born, **kw)  # noqa: E731

    w = SimpleNamespace(kindergarten=kindergarten)
    # The age block: birthdays on the cut-off day count as had.
    w.edge1 = P("满一岁", D(2023, 6, 30))  # age 1 -> [1,3)
    w.infant = P("婴儿", D(2023, 7, 1))  # age 0 -> [0,1)
    w.eighteen = P("刚满十八", D(2006, 6, 30))  # age 18 -> [15,18] (closed)
    w.nineteen = P("十九岁", D(2005, 6, 30))  # age 19: not a child
    w.six = P("满六岁", D(2018, 6, 30))
    w.three = P("满三岁", D(2021, 6, 30))
    w.fifteen = P("满十五", D(2009, 6, 30))
    w.twelve = P("满十二", D(2012, 6, 30))
    w.nine = P("满九岁", D(2015, 6, 30))
    w.elsewhere = P("异地参保", D(2015, 6, 1))
    w.dup = P("重复参保", D(2018, 7, 1))  # age 5
    w.late = P("截止后缴费", D(2012, 1, 1))
    w.last_year = P("去年参保", D(2010, 5, 5))
    w.old_kg = P("已离园", D(2019, 1, 1))
    for person in (w.edge1, w.infant, w.eighteen, w.nineteen, w.six, w.three, w.fifteen,
                   w.twelve, w.nine, w.old_kg):
        enroll(person, 2024, paid_on=PAID)
    enroll(w.elsewhere, 2024, area_code=county_b.pk, paid_on=PAID)
    enroll(w.dup, 2024, paid_on=PAID)
    enroll(w.dup, 2024, paid_on=PAID, scheme=Scheme.EMPLOYEE)
    enroll(w.late, 2024, paid_on=D(2024, 7, 1))
    enroll(w.last_year, 2023, paid_on=D(2022, 10, 1))

    # A newborn known first by its birth certificate, merged into its ID record.
    w.newborn = P("新生儿", D(2024, 3, 1))
    w.newborn_cert = make_person(county_a, name="新生儿", birth_date=D(2024, 3, 1),
                                 birth_certificate_no="Q350000001", merged_into=w.newborn)
    enroll(w.newborn, 2024, paid_on=D(2024, 3, 20))
    enroll(w.newborn_cert, 2024, paid_on=D(2024, 3, 20))  # the record before the merge
    _list(_batch(county_a, "newborns", D(2024, 3, 10)), "newborn", [w.newborn_cert])
    Person.objects.filter(pk=w.newborn_cert.pk).update(platform_enrolled_on=D(2024, 3, 20))  # the platform's date

    # Kindergarten: an old roster replaced by a newer one, and one imported after the cut-off.
    w.kg_uninsured = P("未参保幼儿", D(2020, 2, 2))
    w.kg_outreach = P("动员幼儿", D(2019, 9, 9))
    w.kg_elsewhere = P("异地幼儿", D(2020, 5, 5))
    w.after_cutoff = P("截止后名单", D(2020, 1, 1))
    enroll(w.kg_outreach, 2024, paid_on=D(2024, 4, 10))
    enroll(w.kg_elsewhere, 2024, area_code="350981", paid_on=PAID)
    _list(_batch(county_a, "school_roster", D(2024, 1, 10), kindergarten), "kindergarten", [w.old_kg, w.dup])
    _list(_batch(county_a, "school_roster", D(2024, 3, 1), kindergarten), "kindergarten",
          [w.dup, w.kg_uninsured, w.kg_outreach, w.kg_elsewhere])
    _list(_batch(county_a, "school_roster", D(2024, 7, 5), kindergarten), "kindergarten",
          [w.dup, w.after_cutoff])
    _case(w.kg_uninsured, "kindergarten")
    _case(w.kg_outreach, "kindergarten", insured_on=D(2024, 4, 10))

    # Schools: the county's roster and the school's own upload (a pupil on both counts once).
    w.school_uninsured = P("未参保学生", D(2013, 3, 3))
    w.school_outreach = P("动员学生", D(2011, 11, 11))
    enroll(w.school_outreach, 2024, paid_on=CUTOFF)
    _list(_batch(county_a, "school_roster", D(2024, 5, 1)), "school",
          [w.nine, w.twelve, w.school_uninsured, w.late, w.school_outreach], organisation=school_a)
    _list(_batch(county_a, "school_roster", D(2024, 5, 10), school_a), "school", [w.nine])
    _case(w.school_outreach, "school", insured_on=CUTOFF)
    _case(w.late, "school", insured_on=D(2024, 7, 1))

    # Health list of the vaccination point.
    w.health_uninsured = P("未参保接种儿童", D(2022, 8, 8))
    w.health_outreach = P("动员接种儿童", D(2023, 1, 1))
    enroll(w.health_outreach, 2024, paid_on=D(2024, 5, 5))
    _list(_batch(county_a, "health_list", D(2024, 2, 1), clinic_a), "health",
          [w.infant, w.edge1, w.health_uninsured, w.health_outreach])
    _case(w.health_outreach, "health", insured_on=D(2024, 5, 5))
    _case(w.health_uninsured, "health", year=2023, found=D(2023, 3, 1), insured_on=D(2023, 5, 1))

    # County B: one child insured there, one of B's children insured in A (counts in A); A's
    # ``elsewhere`` child is insured in B (counts in B).
    w.b_child = P("霞浦儿童", D(2016, 1, 1), county_b)
    enroll(w.b_child, 2024, paid_on=PAID)
    w.b_in_a = P("霞浦在蕉城参保", D(2016, 2, 2), county_b)
    enroll(w.b_in_a, 2024, area_code=county_a.pk, paid_on=PAID)
    return w


EXPECTED_A = {
    "insured_total": 15, "age_0_1": 2, "age_1_3": 2, "age_3_6": 4, "age_6_9": 2,
    "age_9_12": 1, "age_12_15": 2, "age_15_18": 2, "newborns": 1,
    # Found uninsured on the list's date: the kindergarten list of 1 March finds kg_uninsured and
    # kg_outreach (paid 10 April); the roster of 1 May finds school_uninsured, late and
    # school_outreach (paid 30 June); the health list of 1 February finds health_uninsured and
    # health_outreach (paid 5 May). Insured after outreach: of those, paid by the cut-off.
    "kg_provided": 4, "kg_uninsured": 2, "kg_after_outreach": 1, "kg_insured": 2,
    "school_provided": 5, "school_uninsured": 3, "school_after_outreach": 1, "school_insured": 3,
    "health_provided": 4, "health_uninsured": 2, "health_after_outreach": 1,
}
EXPECTED_B = dict.fromkeys(dispatch.KEYS, 0) | {"insured_total": 2, "age_6_9": 1, "age_9_12": 1}
# The city's total row: A, B and 350981, where A's kindergarten child ``kg_elsewhere`` is insured.
EXPECTED_CITY = {key: EXPECTED_A[key] + EXPECTED_B[key] for key in dispatch.KEYS} | {
    "insured_total": EXPECTED_A["insured_total"] + EXPECTED_B["insured_total"] + 1,
    "age_3_6": EXPECTED_A["age_3_6"] + EXPECTED_B["age_3_6"] + 1}

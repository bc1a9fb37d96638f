"""The dispatch table on a hand-built county whose every cell is known (cut-off 2024-06-30)."""
import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from enrollment.models import Person
from reporting.dispatch import figures as dispatch

from .reporting_helpers import CUTOFF, EXPECTED_A, EXPECTED_B, dispatch_world  # noqa: F401

D = datetime.date


def test_every_cell_of_the_county_table(dispatch_world, county_a, county_b):
    figures = dispatch.compute([county_a, county_b], CUTOFF)
    assert figures[county_a.pk] == EXPECTED_A
    assert figures[county_b.pk] == EXPECTED_B


def test_the_total_is_the_sum_of_the_bands(dispatch_world, county_a):
    row = dispatch.compute([county_a], CUTOFF)[county_a.pk]
    assert row["insured_total"] == sum(row[f"age_{lo}_{hi}"] for lo, hi in dispatch.AGE_BANDS)


def test_a_day_later_the_edges_move(dispatch_world, county_a):
    """On 2024-07-01 the child born 2023-07-01 turns 1, and the late payer is insured."""
    row = dispatch.compute([county_a], D(2024, 7, 1))[county_a.pk]
    assert row["age_0_1"] == 1  # the newborn only
    assert row["age_1_3"] == 3
    assert row["age_12_15"] == 3  # the late payer (born 2012-01-01) now counts
    assert row["school_uninsured"] == 3  # found on the roster's date: unchanged
    assert row["school_after_outreach"] == 2


def test_the_eighteen_year_old_leaves_on_the_nineteenth_birthday(dispatch_world, county_a):
    Person.objects.filter(pk=dispatch_world.eighteen.pk).update(birth_date=D(2005, 7, 1))
    row = dispatch.compute([county_a], CUTOFF)[county_a.pk]
    assert row["age_15_18"] == 2  # 18 years and 364 days: still in [15,18]
    Person.objects.filter(pk=dispatch_world.eighteen.pk).update(birth_date=D(2005, 6, 30))
    assert dispatch.compute([county_a], CUTOFF)[county_a.pk]["age_15_18"] == 1


def test_city_table_stacks_counties_with_a_total(dispatch_world, city, county_a, county_b):
    table = dispatch.build_table(city, CUTOFF)
    assert [row.code for row in table.rows][:2] == [county_a.pk, county_b.pk]
    assert len(table.rows) == 11  # nine counties of Ningde, the city's medical insurance centre and the total
    total = table.rows[-1]
    assert total.is_total
    # A's kindergarten child insured in 350981 is that county's; nobody is in two counties here.
    assert total.figures == {key: sum(row.figures[key] for row in table.rows[:-1]) for key in dispatch.KEYS}
    assert total.figures["insured_total"] == EXPECTED_A["insured_total"] + EXPECTED_B["insured_total"] + 1


def test_figures_take_one_query_per_block(dispatch_world, city):
    counties = dispatch.counties_of(city)
    with CaptureQueriesContext(connection) as queries:
        dispatch.compute(counties, CUTOFF)
    reads = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) == 4  # the counting lists; insured persons, newborns, list entries


def test_a_city_table_reads_each_block_once_for_its_counties_and_its_total(dispatch_world, city):
    with CaptureQueriesContext(connection) as queries:
        table = dispatch.build_table(city, CUTOFF)
    reads = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) == 5  # the counties; the counting lists; insured persons, newborns, list entries
    assert table.rows[-1].figures == dispatch.total([row.code for row in table.rows[:-1]], CUTOFF)


@pytest.mark.parametrize(
    "born, age",
    [(D(2023, 6, 30), 1), (D(2023, 7, 1), 0), (D(2006, 6, 30), 18), (D(2020, 2, 29), 4)],
)
def test_age_at(born, age):
    assert dispatch.age_at(born, CUTOFF) == age


def test_leap_day_birthday_in_a_common_year():
    assert dispatch.age_at(D(2020, 2, 29), D(2021, 2, 28)) == 0
    assert dispatch.age_at(D(2020, 2, 29), D(2021, 3, 1)) == 1
    assert dispatch.age_at(D(2020, 2, 29), D(2024, 2, 29)) == 4


def test_a_rejected_upload_does_not_replace_the_list_that_counts(db, county_a, school_a):
    from django.utils import timezone

    from enrollment.models import ImportKind, ImportStatus

    from .factories import add_list_entries, make_import_batch, make_person

    pupil = make_person(county_a, name="学生", birth_date=D(2016, 3, 1))
    done = make_import_batch(county_a, ImportKind.SCHOOL_ROSTER, organisation=school_a, imported_on=D(2024, 5, 1))
    add_list_entries(done, "school", [pupil])
    for status in (ImportStatus.INVALID, ImportStatus.READY, ImportStatus.FAILED):
        later = make_import_batch(county_a, ImportKind.SCHOOL_ROSTER, organisation=school_a)
        type(later).objects.filter(pk=later.pk).update(  # uploaded in June, never imported
            status=status, uploaded_at=timezone.make_aware(datetime.datetime(2024, 6, 1, 9)))
    assert dispatch.current_batches([county_a.pk], CUTOFF) == [done.pk]


# A tricky county, cut-off 2024-06-30: each figure's rows (reporting.dispatch.blocks) against
# the one definition of the list figures (enrollment.comparison.listed) and the plain ORM
# conditions of the age block and the newborn column; each figure against its drill-down.
TRICKY_CUTOFF = D(2024, 6, 30)


@pytest.fixture
def tricky(county_a, county_b, school_a, clinic_a):
    from enrollment.models import ImportKind

    from .factories import add_list_entries, enroll, make_import_batch, make_organisation, make_person

    kindergarten = make_organisation(county_a, kind="kindergarten", name="双名单幼儿园")
    other_kindergarten = make_organisation(county_a, kind="kindergarten", name="另一幼儿园")
    P = lambda name, born, county=county_a, **kw: make_person(county, name=name, birth_date=born, **kw)  # noqa: E731

    def listing(source, persons, dated, organisation=None, county=county_a):
        kind = ImportKind.HEALTH_LIST if source == "health" else ImportKind.SCHOOL_ROSTER
        batch = make_import_batch(county, kind, organisation=organisation, imported_on=dated + D.resolution * 3,
                                  list_date=dated)
        add_list_entries(batch, source, persons)

    two_lists = P("两份名单", D(2020, 4, 4))  # uninsured on 1 March, insured 15 April: found on one list only
    enroll(two_lists, 2024, paid_on=D(2024, 4, 15))
    on_the_day = P("名单当日缴费", D(2020, 5, 5))
    enroll(on_the_day, 2024, paid_on=D(2024, 5, 31))  # paid on the list's date: insured on it
    in_b = P("在霞浦参保", D(2020, 6, 6))
    enroll(in_b, 2024, area_code=county_b.pk, paid_on=D(2024, 1, 10))  # insured, elsewhere
    never = P("从未参保", D(2021, 1, 1))
    eighteen = P("截止日满十八", D(2006, 6, 30))
    enroll(eighteen, 2024, paid_on=D(2024, 6, 30))  # on the cut-off: insured, 18, counted
    last_year = P("去年名单已参保", D(2012, 2, 2))
    enroll(last_year, 2023, paid_on=D(2022, 11, 1))  # insured on a December list's date
    enroll(last_year, 2024, paid_on=D(2024, 3, 3))
    last_year_found = P("去年名单未参保", D(2012, 3, 3))
    enroll(last_year_found, 2024, paid_on=D(2024, 2, 2))  # found on 31 December, insured after
    late = P("截止后缴费", D(2013, 1, 1))
    enroll(late, 2024, paid_on=D(2024, 7, 1))
    newborn = P("新生儿", D(2024, 2, 1))
    certificate = make_person(county_a, name="新生儿", birth_date=D(2024, 2, 1), birth_certificate_no="Q1",
                              merged_into=newborn, platform_enrolled_on=D(2024, 2, 20))
    enroll(certificate, 2024, paid_on=D(2024, 2, 20))  # the merged file's record: not the newborn's
    platform_late = P("平台后参保", D(2024, 1, 5), platform_enrolled_on=D(2024, 4, 1))
    b_child = P("霞浦儿童", D(2019, 9, 9), county_b)
    enroll(b_child, 2024, area_code=county_a.pk, paid_on=D(2024, 1, 10))  # B's child insured in A
    # On B's school list: insured outside the city before the list's date and in B after it
    # (insured on that date, and insured here). On B's roster of last year: uninsured then,
    # paid for 2024 before that list's date and again after it.
    elsewhere_first = P("先外地后霞浦", D(2016, 1, 6), county_b)
    enroll(elsewhere_first, 2024, area_code="330102", paid_on=D(2024, 3, 1), scheme="employee")
    enroll(elsewhere_first, 2024, area_code=county_b.pk, paid_on=D(2024, 5, 1))
    paid_twice = P("去年名单两次缴费", D(2015, 2, 7), county_b)
    enroll(paid_twice, 2024, area_code=county_b.pk, paid_on=D(2023, 11, 1))
    enroll(paid_twice, 2024, area_code="330102", paid_on=D(2024, 3, 1), scheme="employee")

    listing("kindergarten", [two_lists, never, in_b], D(2024, 3, 1), kindergarten)
    listing("kindergarten", [two_lists, on_the_day], D(2024, 5, 31), other_kindergarten)
    listing("kindergarten", [never, on_the_day], D(2024, 2, 1), other_kindergarten)  # replaced by 31 May
    listing("kindergarten", [in_b, never], D(2024, 7, 15), kindergarten)  # after the cut-off
    listing("school", [last_year, last_year_found, eighteen], D(2023, 12, 31), school_a)  # last year's list
    listing("school", [late, eighteen], D(2024, 5, 1))  # the county's own uploads: each counts
    listing("school", [late, never], D(2024, 6, 1))
    listing("school", [never], D(2023, 6, 29), make_organisation(county_a, name="旧名单学校"))  # over a year old
    listing("health", [newborn, certificate, platform_late, never], D(2024, 3, 15), clinic_a)
    listing("kindergarten", [b_child], D(2024, 4, 1), make_organisation(county_b, kind="kindergarten"),
            county=county_b)
    b_school = make_organisation(county_b, name="霞浦小学")
    listing("school", [elsewhere_first], D(2024, 4, 1), b_school, county=county_b)
    listing("school", [paid_twice], D(2023, 12, 31), make_organisation(county_b, name="霞浦中学"), county=county_b)
    return county_a, county_b


def _listed_oracle(counties, key, cutoff):
    """The persons of one list figure by ``enrollment.comparison.listed``'s own conditions."""
    from enrollment.comparison import listed
    from enrollment.importing.selectors import counting_lists

    source, figure = key.split("_", 1)
    source = {"kg": "kindergarten"}.get(source, source)
    lists = counting_lists(counties, cutoff)
    condition = {"provided": lambda: Q(), "uninsured": lambda: listed.found_uninsured(lists),
                 "after_outreach": lambda: listed.after_outreach(lists, cutoff),
                 "insured": lambda: listed.insured_here(cutoff)}[figure]()
    return set(listed.entries(counties, lists, source).filter(condition).values_list("person_id", flat=True))


def _orm_oracle(counties, key, cutoff):
    """The persons of the age block and the newborn column by plain ORM conditions."""
    from enrollment.models import EnrollmentRecord

    cut = dispatch.Cutoff(date=cutoff)
    live = Person.objects.filter(merged_into__isnull=True)
    if key == "newborns":
        platform = Q(platform_enrolled_on__lte=cutoff) | Q(merged_from__platform_enrolled_on__lte=cutoff)
        return set(live.filter(platform, county_id__in=counties, birth_date__lte=cutoff,
                               birth_date__gte=dispatch.newborn_period_start(cutoff)).values_list("pk", flat=True))
    low, high = (0, dispatch.OLDEST_AGE) if key == "insured_total" else map(int, key.split("_")[1:])
    insured = EnrollmentRecord.objects.filter(year=cutoff.year, paid_on__lte=cutoff, area_code__in=counties)
    return set(live.filter(cut.age_between(low, high, closed=high == dispatch.OLDEST_AGE),
                           pk__in=insured.values("person_id")).values_list("pk", flat=True))


def _oracle(counties, key, cutoff):
    if dispatch.COLUMN_BY_KEY[key].block == dispatch.ENTRY:
        return _listed_oracle(counties, key, cutoff)
    return _orm_oracle(counties, key, cutoff)


@pytest.mark.parametrize("cutoff", [TRICKY_CUTOFF, D(2024, 7, 1), D(2024, 5, 31)])
def test_every_figure_equals_its_drill_down_and_the_listed_definitions(tricky, cutoff):
    county_a, county_b = tricky
    counties = [county_a.pk, county_b.pk]
    per_county = dispatch.compute(counties, cutoff)
    together = dispatch.total(counties, cutoff)
    for key in dispatch.KEYS:
        for codes, figure in (([county_a.pk], per_county[county_a.pk][key]),
                              ([county_b.pk], per_county[county_b.pk][key]), (counties, together[key])):
            people = set(dispatch.people_behind(Person.objects.all(), key, codes, cutoff).values_list("pk", flat=True))
            assert figure == len(people), (key, codes)
            assert people == _oracle(codes, key, cutoff), (key, codes)


def test_the_tricky_county_cell_by_cell(tricky):
    county_a, county_b = tricky
    row = dispatch.compute([county_a], TRICKY_CUTOFF)[county_a.pk]
    names = lambda key: set(  # noqa: E731
        dispatch.people_behind(Person.objects.all(), key, [county_a.pk], TRICKY_CUTOFF).values_list("name", flat=True))
    # the kindergarten lists that count: 1 March (kindergarten) and 31 May (the other one)
    assert names("kg_provided") == {"两份名单", "从未参保", "在霞浦参保", "名单当日缴费"}
    assert names("kg_uninsured") == {"两份名单", "从未参保"}  # found on 1 March; 31 May: paid that day
    assert names("kg_after_outreach") == {"两份名单"}
    assert names("kg_insured") == {"两份名单", "名单当日缴费"}  # not the child insured in B
    # last year's roster (31 December) looks at 2023's records; the county's two uploads count
    assert names("school_provided") == {"去年名单已参保", "去年名单未参保", "截止日满十八", "截止后缴费", "从未参保"}
    assert names("school_uninsured") == {"去年名单未参保", "截止日满十八", "截止后缴费", "从未参保"}
    assert names("school_after_outreach") == {"去年名单未参保", "截止日满十八"}
    # the merged birth-certificate file is not counted; its platform date insures the newborn
    assert names("health_provided") == {"新生儿", "平台后参保", "从未参保"}
    assert names("health_uninsured") == {"平台后参保", "从未参保"}
    assert names("health_after_outreach") == {"平台后参保"}
    assert names("newborns") == {"新生儿", "平台后参保"}
    assert "截止日满十八" in names("age_15_18") and "霞浦儿童" in names("insured_total")
    assert row["insured_total"] == 6  # two lists, on the day, 18, both last-year pupils, B's child

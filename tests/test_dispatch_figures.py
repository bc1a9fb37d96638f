"""The dispatch table on a hand-built county whose every cell is known (cut-off 2024-06-30)."""
import datetime

import pytest
from django.db import connection
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
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4  # the counting lists; insured persons, newborns, list entries


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

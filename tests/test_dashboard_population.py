"""The dashboard's rates on the population feed's denominator (issue 18): public security's
registered births for the newborn rate, and children it reported dead or gone left out of
the child rate; each chart says which denominator it used."""
import datetime

import pytest

from enrollment.models import PersonStatus, PopulationEvent
from reporting import dashboard

from .factories import enroll, make_person

D = datetime.date
CUTOFF = D(2026, 11, 20)


@pytest.fixture
def newborns(county_a):
    return [make_person(county_a, name=f"新生儿{n}", birth_date=D(2026, 3, n + 1)) for n in range(4)]


@pytest.mark.django_db
def test_newborn_rate_uses_registered_births_where_the_feed_has_them(county_a, county_user_a, newborns):
    enroll(newborns[0], 2026, paid_on=D(2026, 4, 1))
    enroll(newborns[3], 2026, paid_on=D(2026, 4, 1))
    # Before any feed: the registry's four newborn files, two insured.
    newborn, basis, _children, _words = dashboard.on_population(county_user_a, [county_a.pk], CUTOFF)
    assert newborn[2026] == (4, 2, 50.0)
    registry_words = basis[2026]
    # Public security registered three of them (a fourth file came only from a clinic's list).
    for person in newborns[:3]:
        PopulationEvent.objects.create(person=person, county=county_a, kind="birth", happened_on=person.birth_date)
    newborn, basis, _children, _words = dashboard.on_population(county_user_a, [county_a.pk], CUTOFF)
    assert newborn[2026] == (3, 1, 33.3)
    assert basis[2026] != registry_words and basis[2025] == registry_words  # 2025: no registered births


@pytest.mark.django_db
def test_child_rate_leaves_out_children_reported_dead_or_gone(county_a, county_user_a, county_user_b):
    alive = make_person(county_a, name="在册", birth_date=D(2015, 1, 1))
    dead = make_person(county_a, name="已故", birth_date=D(2016, 1, 1), status=PersonStatus.DECEASED,
                       status_on=D(2026, 5, 1))
    later = make_person(county_a, name="将迁出", birth_date=D(2016, 1, 1), status=PersonStatus.MOVED_OUT,
                        status_on=D(2026, 12, 1))  # after the cut-off: still counted
    enroll(alive, 2026)
    _newborn, _basis, children, words = dashboard.on_population(county_user_a, [county_a.pk], CUTOFF)
    assert children[county_a.pk] == (2, 1, 50.0)
    assert dead and later and words
    charts = dashboard.chart_data(county_user_a, county_a, CUTOFF)
    assert charts["children"]["denominator"] == words and charts["newborn"]["denominator"]
    # Scoped: county B's staff get none of A's children.
    _newborn, _basis, children, _words = dashboard.on_population(county_user_b, [county_a.pk], CUTOFF)
    assert county_a.pk not in children

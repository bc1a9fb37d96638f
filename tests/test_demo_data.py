"""The demo's synthetic enrollments are plausible: nobody pays before being born."""
import datetime
import random
from types import SimpleNamespace

from enrollment.demo.registry import _payment_date


def test_no_demo_payment_falls_before_the_childs_birth():
    today = datetime.date(2026, 11, 23)
    rng = random.Random(7)
    for birth in (datetime.date(2023, 11, 7), datetime.date(2025, 12, 30), datetime.date(2024, 1, 1)):
        child = SimpleNamespace(birth_date=birth)
        for year in range(birth.year, 2028):
            for _ in range(200):
                paid_on = _payment_date(child, year, today, rng)
                assert paid_on is None or birth <= paid_on <= today


def test_most_demo_newborns_were_enrolled_through_the_birth_one_stop_service(db, county_a):
    from enrollment.demo.lists import _newborn_rows

    from .factories import make_person
    from .registry_helpers import child_id

    today = datetime.date(2026, 11, 23)
    for n in range(10):
        baby = make_person(county_a, name=f"宝宝{n}", birth_date=datetime.date(2026, 11, 20))
        baby.guardians.create(name="家长", id_number=child_id(n, birth=datetime.date(1990, 1, 1)))
    platform_dates = [row[-1] for row in _newborn_rows(county_a, today)]
    assert len(platform_dates) == 10 and platform_dates.count("2026-11-23") == 7
    assert platform_dates.count("") == 3

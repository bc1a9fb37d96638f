"""The demo's synthetic enrollments are plausible: nobody pays before being born."""
import datetime
import random
from types import SimpleNamespace

from enrollment.demo import _payment_date


def test_no_demo_payment_falls_before_the_childs_birth():
    today = datetime.date(2026, 11, 23)
    rng = random.Random(7)
    for birth in (datetime.date(2023, 11, 7), datetime.date(2025, 12, 30), datetime.date(2024, 1, 1)):
        child = SimpleNamespace(birth_date=birth)
        for year in range(birth.year, 2028):
            for _ in range(200):
                paid_on = _payment_date(child, year, today, rng)
                assert paid_on is None or birth <= paid_on <= today

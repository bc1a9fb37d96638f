"""The waiting-period exemption reads the registry's special groups (issue 18): a membership
valid on the day exempts when the area's parameters list its group; one that ended, or a group
the area does not exempt, does not."""
import datetime

import pytest

from enrollment.benefits.quotes import prefetched_person, quote_for
from enrollment.models import Area, Person, PersonSpecialGroup

from .benefit_helpers import QINGTIAN, person_insured

ON = datetime.date(2025, 6, 10)  # enrolling after a break of three years (2022-2024)


def waiting_of(person):
    return quote_for(prefetched_person(Person.objects, pk=person.pk), ON).waiting


@pytest.mark.django_db
@pytest.mark.parametrize("group,valid_from,valid_until,exempt", [
    ("subsistence", datetime.date(2025, 1, 1), None, True),  # 低保 from the civil affairs feed
    ("unsupported", datetime.date(2024, 3, 1), datetime.date(2026, 2, 28), True),  # 事实无人抚养
    ("subsistence", datetime.date(2023, 1, 1), datetime.date(2024, 12, 31), False),  # ended before
    ("subsistence", datetime.date(2025, 7, 1), None, False),  # starts after the day
    ("left_behind", datetime.date(2025, 1, 1), None, False),  # Lishui does not exempt 留守儿童
])
def test_exemption_follows_the_registrys_dated_groups(group, valid_from, valid_until, exempt):
    person = person_insured(Area.objects.get(pk=QINGTIAN), range(2019, 2022))
    PersonSpecialGroup.objects.create(person=person, group=group, valid_from=valid_from, valid_until=valid_until)
    waiting = waiting_of(person)
    assert (waiting.exemption == "special_group") is exempt
    if not exempt:
        assert waiting.total_months > 0

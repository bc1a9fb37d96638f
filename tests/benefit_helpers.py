"""Helpers of the benefit tests (issue 6): Lishui areas, parameter sets, typical histories."""
import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from enrollment.benefits.rules import LISHUI, NATIONAL_DEFAULTS
from enrollment.models import Area, BenefitParameterSet, PersonSpecialGroup

from .factories import enroll, make_person

LISHUI_CITY = "331100"
QINGTIAN = "331121"  # a county of Lishui with no set of its own


@pytest.fixture
def qingtian(db):
    return Area.objects.get(pk=QINGTIAN)


def add_parameter_set(area_code, effective_from, base=NATIONAL_DEFAULTS, **changes):
    return BenefitParameterSet.objects.create(
        area_id=area_code, effective_from=effective_from,
        **BenefitParameterSet.field_values(replace(base, **changes)),
    )


def lishui_set_2027(**changes):
    """A later Lishui city set: rewards of 6000 from 2027."""
    return add_parameter_set(LISHUI_CITY, datetime.date(2027, 1, 1), base=LISHUI,
                             continuous_reward_per_year=Decimal("6000"), **changes)


def person_insured(county, years, *, fund_paid=Decimal("0"), groups=(), **person_fields):
    """A person insured in the resident scheme in ``years``, each paid in the concentrated
    period; ``fund_paid`` 0 means zero-claim years."""
    person = make_person(county, **person_fields)
    for year in years:
        enroll(person, year, fund_paid=fund_paid)
    PersonSpecialGroup.objects.bulk_create(
        PersonSpecialGroup(person=person, group=group) for group in groups
    )
    return person

"""Insurance-year calendar of the registry. The concentrated enrollment period (集中参保期) is
a benefit parameter per area: ``benefit_rules.concentrated_period`` with ``benefits.parameters_for``."""

import datetime


def insurance_year(day):
    """The insurance year containing ``day`` (insurance years are calendar years)."""
    return day.year


def years_before(day, years):
    """The date ``years`` whole years before ``day`` (29 February falls back to the 28th, so a
    leap-day child has its birthday on 1 March in common years)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# Dates typed into the portal: anything outside these years is a typing error, and arithmetic
# on it (ages, insurance years) would overflow.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2099, 12, 31)


def parse_iso_date(value, default=None):
    """A YYYY-MM-DD date typed in a query string or URL, or ``default`` when it is empty, not a
    date, or outside the years the portal works with (``FIRST_DATE`` to ``LAST_DATE``)."""
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return default
    return day if day is not None and FIRST_DATE <= day <= LAST_DATE else default

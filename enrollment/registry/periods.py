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


def parse_iso_date(value, default=None):
    """A YYYY-MM-DD date typed in a query string or URL, or ``default`` when it is empty or
    not a date."""
    try:
        return datetime.date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default

"""Insurance-year calendar of the registry. The concentrated enrollment period (集中参保期) is
a benefit parameter per area: ``benefit_rules.concentrated_period`` with ``benefits.parameters_for``."""


def insurance_year(day):
    """The insurance year containing ``day`` (insurance years are calendar years)."""
    return day.year

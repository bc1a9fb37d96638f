"""Insurance-year calendar: the one place that says when the concentrated enrollment period
(集中参保期) of an insurance year runs. Default: 1 September to 31 December of the year before
(the September publicity month through the end of the collection season)."""
import datetime

CONCENTRATED_START = (9, 1)  # month, day in the year before the insurance year
CONCENTRATED_END = (12, 31)


def concentrated_period(year):
    return (
        datetime.date(year - 1, *CONCENTRATED_START),
        datetime.date(year - 1, *CONCENTRATED_END),
    )


def in_concentrated_period(paid_on, year):
    start, end = concentrated_period(year)
    return start <= paid_on <= end


def insurance_year(day):
    """The insurance year containing ``day`` (insurance years are calendar years)."""
    return day.year

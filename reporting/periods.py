"""Reporting periods of the dispatch table: when it is due and which day its data are as of.

The notice (annex of 医保办函〔2024〕14号 as forwarded by Ningde) sets: the first report by
11 July 2024 with data as of 30 June 2024; after that twice a year, by 11 March (the
concentrated and extended payment period) and by 11 November (March to the year's enrollment
deadline). The notice gives no cut-off for the later reports; we take the last day of the
month before the deadline, as for the first one: 11 March -> end of February, 11 November ->
31 October. So the periods are 2024-07-11 (2024-06-30), 2024-11-11 (2024-10-31),
2025-03-11 (2025-02-28), 2025-11-11 (2025-10-31), ...
"""
import datetime
from dataclasses import dataclass

FIRST_DEADLINE = datetime.date(2024, 7, 11)
DEADLINE_DAY = 11
DEADLINE_MONTHS = (3, 11)


@dataclass(frozen=True)
class Period:
    deadline: datetime.date
    cutoff: datetime.date

    @property
    def key(self):
        return self.deadline.isoformat()


def cutoff_for(deadline):
    """The last day of the month before the deadline."""
    return deadline.replace(day=1) - datetime.timedelta(days=1)


def deadlines(until):
    """Every deadline from the first one up to and including the first one after ``until``."""
    result = [FIRST_DEADLINE]
    year = FIRST_DEADLINE.year
    while result[-1] <= until:
        for month in DEADLINE_MONTHS:
            day = datetime.date(year, month, DEADLINE_DAY)
            if day > result[-1]:
                result.append(day)
                break
        else:
            year += 1
    return result


def periods(until):
    """All periods up to the next one due after ``until``, oldest first."""
    return [Period(deadline=d, cutoff=cutoff_for(d)) for d in deadlines(until)]


def period_for(deadline):
    """The period of a deadline, or None when it is not one of the notice's deadlines."""
    for period in periods(deadline):
        if period.deadline == deadline:
            return period
    return None


def next_due(today):
    """The first period whose deadline is today or later."""
    return next(period for period in periods(today) if period.deadline >= today)


def default_cutoff(today):
    """The cut-off the dispatch table opens on (and the nightly run computes): the cut-off of
    the period due next once its data are complete, else today."""
    return min(today, next_due(today).cutoff)

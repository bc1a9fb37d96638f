"""Sampled call-backs (抽样回访): after a concentrated period the county checks, by phone, a
random sample of the children it reports uninsured — those whose case was closed with a reason
and those still uninsured without one — and records whether the reason holds.

- Population: the county's cases of the insurance year not insured after outreach, one per
  child (its earliest case); the stratum is (reason, or "uninsured" without one; partner: the
  assignee of the child's latest task, else the organisation whose list found the child).
- Draw: ``size`` children, or ``percent`` of the population rounded up; allocated to strata in
  proportion to their size (largest remainders, ties by stratum order), at least one per
  stratum while the total allows; within a stratum ``random.Random(seed + stratum)`` samples
  the children ordered by pk. The same seed on the same population gives the same sample.
- Only after the year's concentrated period has ended.
- Confirmation rate = reason confirmed / reached (confirmed + wrong + now insured);
  unreachable and not yet called are left out of the denominator, and shown.
"""
import datetime
import math
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.access.scoping import visible_to
from enrollment.benefits.quotes import parameters_for
from enrollment.benefits.rules import concentrated_period
from enrollment.models import Role, UninsuredCase, User

from .models import UNINSURED_STRATUM, Callback, CallbackOutcome, CallbackSample, OutreachTask
from .services import OutreachError

_CHUNK = 500


def population(county_id, year):
    """[(person_id, case_id, reason, partner_id)] of the county's uninsured children of ``year``."""
    latest_task = OutreachTask.objects.filter(case_id=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        UninsuredCase.objects.filter(county_id=county_id, insurance_year=year, insured_on__isnull=True)
        .annotate(task_partner=Subquery(latest_task.values("assignee_id")[:1]))
        .values_list("person_id", "pk", "reason", "task_partner", "entry__organisation_id")
        .order_by("person_id", "pk")
    )
    seen = {}
    for person_id, case_id, reason, task_partner, list_partner in rows:
        seen.setdefault(person_id, (person_id, case_id, reason or UNINSURED_STRATUM, task_partner or list_partner))
    return list(seen.values())


def allocate(strata_sizes, total):
    """stratum -> how many to draw, proportional to ``strata_sizes`` and summing to ``total``."""
    keys = sorted(strata_sizes, key=lambda k: (str(k[0]), k[1] or 0))
    whole = sum(strata_sizes.values())
    total = min(total, whole)
    if not whole or not total:
        return {k: 0 for k in keys}
    exact = {k: Decimal(strata_sizes[k] * total) / whole for k in keys}
    counts = {k: int(exact[k]) for k in keys}
    left = total - sum(counts.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - counts[k]), keys.index(k)))[:left]:
        counts[k] += 1
    # every stratum is represented while the sample allows: take from the largest
    for k in keys:
        if counts[k] == 0 and strata_sizes[k] and total >= len(keys):
            donor = max(keys, key=lambda d: (counts[d], -keys.index(d)))
            if counts[donor] > 1:
                counts[donor] -= 1
                counts[k] = 1
    return counts


def draw_rows(rows, *, seed, size=None, percent=None):
    """The rows of ``population`` drawn by the rules above (pure: no database)."""
    strata = defaultdict(list)
    for row in rows:
        strata[(row[2], row[3])].append(row)
    total = size if size is not None else math.ceil(len(rows) * Decimal(percent) / 100)
    counts = allocate({k: len(v) for k, v in strata.items()}, total)
    chosen = []
    for key, k in counts.items():
        members = sorted(strata[key])
        chosen.extend(random.Random(f"{seed}|{key[0]}|{key[1] or 0}").sample(members, k))
    return sorted(chosen)


def period_over(county_id, year, today):
    params = parameters_for(county_id, today)
    return today > concentrated_period(year, params)[1]


@transaction.atomic
def draw(*, user, year, seed, size=None, percent=None, today=None):
    """Draw and store a sample of the user's county for ``year``."""
    today = today or datetime.date.today()
    if user.role != Role.COUNTY:
        raise OutreachError(_("Only county bureau staff draw call-back samples."))
    if (size is None) == (percent is None):
        raise OutreachError(_("Give either a sample size or a percentage."))
    if not period_over(user.area_id, year, today):
        raise OutreachError(_("The concentrated period of %(year)s has not ended yet.") % {"year": year})
    rows = population(user.area_id, year)
    picked = draw_rows(rows, seed=seed, size=size, percent=percent)
    sample = CallbackSample.objects.create(county_id=user.area_id, insurance_year=year, seed=seed, size=size,
                                           percent=percent, population=len(rows), drawn_by=user)
    Callback.objects.bulk_create([
        Callback(sample=sample, person_id=person_id, case_id=case_id, reason=reason, partner_id=partner)
        for person_id, case_id, reason, partner in picked
    ], batch_size=_CHUNK)
    return sample


def staff_of(user):
    return User.objects.filter(is_active=True, role=Role.COUNTY, area_id=user.area_id).order_by("username")


@transaction.atomic
def assign(*, user, sample, staff):
    """Share the sample's call-backs with no one assigned among ``staff`` (county staff of the
    user's county), in turn. Returns the number assigned."""
    if user.role != Role.COUNTY or sample.county_id != user.area_id:
        raise OutreachError(_("Only the county's staff assign its call-backs."))
    staff = [s for s in staff if s.role == Role.COUNTY and s.area_id == user.area_id]
    if not staff:
        raise OutreachError(_("Choose at least one member of staff."))
    ids = list(sample.callbacks.filter(assigned_to__isnull=True).order_by("pk").values_list("pk", flat=True))
    per_staff = defaultdict(list)
    for n, pk in enumerate(ids):
        per_staff[staff[n % len(staff)].pk].append(pk)
    for staff_pk, pks in per_staff.items():
        Callback.objects.filter(pk__in=pks).update(assigned_to_id=staff_pk)
    return len(ids)


def record_outcome(*, user, callback, outcome, note=""):
    if user.role != Role.COUNTY or callback.sample.county_id != user.area_id:
        raise OutreachError(_("Only the county's staff record call-backs."))
    if outcome not in CallbackOutcome.values:
        raise OutreachError(_("Choose an outcome."))
    Callback.objects.filter(pk=callback.pk).update(outcome=outcome, note=note[:200], recorded_by=user,
                                                   recorded_at=timezone.now())


# --- reads -------------------------------------------------------------------------------

def samples(user):
    return visible_to(CallbackSample, user).select_related("county", "drawn_by")


def callbacks(user, sample):
    return (visible_to(Callback, user).filter(sample=sample)
            .select_related("person", "partner", "assigned_to__area", "assigned_to__organisation", "case"))


def _rate_counts():
    return {
        "total": Count("pk"),
        "confirmed": Count("pk", filter=Q(outcome=CallbackOutcome.CONFIRMED)),
        "wrong": Count("pk", filter=Q(outcome=CallbackOutcome.WRONG)),
        "now_insured": Count("pk", filter=Q(outcome=CallbackOutcome.NOW_INSURED)),
        "unreachable": Count("pk", filter=Q(outcome=CallbackOutcome.UNREACHABLE)),
        "pending": Count("pk", filter=Q(outcome="")),
    }


def _with_rate(rows):
    for row in rows:
        reached = row["confirmed"] + row["wrong"] + row["now_insured"]
        row["rate"] = f"{row['confirmed'] * 100 / reached:.1f}%" if reached else "—"
        yield row


def report(queryset):
    """(per partner, per reason): rows of counts with the confirmation rate."""
    by_partner = list(_with_rate(queryset.order_by().values("partner_id", "partner__name")
                                 .annotate(**_rate_counts()).order_by("partner__name")))
    by_reason = list(_with_rate(queryset.order_by().values("reason").annotate(**_rate_counts()).order_by("reason")))
    return by_partner, by_reason

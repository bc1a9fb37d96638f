"""The registry's own feeds (issue 18): civil affairs' special groups, public security's
births, deaths and moves, and maternity claims.

A feed reaches only the children whose file the uploading county keeps, and never creates a
file: a row naming a child that is unknown, kept by another county, or (special groups) known
under another name gets one and the same refusal, which says nothing of what the registry
holds. Like every import, a file lands whole or not at all, and the same events sent again
change nothing.
"""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..comparison.services import close_departed_cases, open_newborn_cases
from ..models import (
    Area,
    EnrollmentRecord,
    ImportKind,
    MaternityClaim,
    Person,
    PersonSpecialGroup,
    PersonStatus,
    PopulationEvent,
    PopulationEventKind,
)
from .bulk import chunks, history_snapshot, rows_where_in, set_changed, update_values

NOT_ON_FILE = "本县（区）档案中没有与此证件号码（及姓名）相符的儿童，请核对；如需建档请先导入名单"
# What each public security event makes of the child's status (None: unchanged).
STATUS_OF_EVENT = {
    PopulationEventKind.DEATH: PersonStatus.DECEASED,
    PopulationEventKind.CANCELLED: PersonStatus.EMIGRATED,
}
EVENT_LABELS = {PopulationEventKind.DEATH: "死亡", PopulationEventKind.CANCELLED: "户口注销"}


COUNT_LABELS = {
    "groups_added": _("Special group memberships added"),
    "groups_updated": _("Special group memberships updated"),
    "events_added": _("Population events recorded"),
    "cases_closed_departed": _("Cases closed: died, moved out of the city or registration cancelled"),
    "claims_added": _("Maternity claims added"),
    "claims_updated": _("Maternity claims updated"),
    "newborn_cases_opened": _("Newborn cases opened"),
}


@dataclass
class FeedResolution:
    person_of_row: dict = field(default_factory=dict)  # row -> person pk (None: no child, maternity only)
    errors: list = field(default_factory=list)  # (row, column name, message)


def _reachable(field_name, values, county):
    """``value -> (pk, name)`` of the live files ``county`` keeps with these numbers."""
    return {key: (pk, name)
            for key, pk, name, keeper, merged in rows_where_in(
                Person, field_name, values, ("id", "name", "county_id", "merged_into_id"))
            if keeper == county and merged is None}


def resolve(kind, rows, county):
    county = getattr(county, "pk", county)
    numbers = {row["id_number"].number for row in rows if row.get("id_number")}
    certificates = {row["birth_certificate_no"] for row in rows if row.get("birth_certificate_no")}
    by_id = _reachable("id_number", numbers, county) if kind != ImportKind.MATERNITY_CLAIMS else {}
    by_cert = _reachable("birth_certificate_no", certificates, county)
    result = FeedResolution()
    for row in rows:
        number, certificate = row.get("id_number"), row.get("birth_certificate_no")
        found = [by_id.get(number.number) if number else None, by_cert.get(certificate) if certificate else None]
        hits = {hit for hit in found if hit}
        if kind == ImportKind.MATERNITY_CLAIMS:  # the newborn is optional: an unknown one is no error
            result.person_of_row[row["_row"]] = next(iter(hits))[0] if len(hits) == 1 else None
            continue
        ok = len(hits) == 1  # one of the row's numbers reaches a file, and no two files
        if ok and kind == ImportKind.SPECIAL_GROUPS:
            ok = next(iter(hits))[1] == row["name"]
        if ok:
            result.person_of_row[row["_row"]] = next(iter(hits))[0]
        else:
            column = "id_number" if number or not certificate else "birth_certificate_no"
            result.errors.append((row["_row"], column, NOT_ON_FILE))
    return result


def write(kind, rows, batch, resolution, *, today):
    writer = {
        ImportKind.SPECIAL_GROUPS: _write_special_groups,
        ImportKind.POPULATION_CHANGES: _write_population_changes,
        ImportKind.MATERNITY_CLAIMS: _write_maternity_claims,
    }[kind]
    counts = {"rows": len(rows), **writer(rows, batch, resolution.person_of_row, today=today)}
    return counts, {row: pk for row, pk in resolution.person_of_row.items() if pk is not None}


def _write_special_groups(rows, batch, person_of_row, *, today):
    """One membership per child and group; a row sent again with other dates updates it."""
    wanted = {(person_of_row[row["_row"]], row["group"]): row for row in rows}
    existing = {}
    for chunk in chunks({pk for pk, _group in wanted}):
        for membership in PersonSpecialGroup.objects.filter(person_id__in=chunk):
            existing[(membership.person_id, membership.group)] = membership
    new, changed = [], []
    for (pk, group), row in wanted.items():
        values = {"valid_from": row["valid_from"], "valid_until": row["valid_until"], "source": row["source"]}
        membership = existing.get((pk, group))
        if membership is None:
            new.append(PersonSpecialGroup(person_id=pk, group=group, **values))
        elif set_changed(membership, values):
            changed.append(membership)
    PersonSpecialGroup.objects.bulk_create(new, batch_size=2000)
    PersonSpecialGroup.objects.bulk_update(changed, ["valid_from", "valid_until", "source"], batch_size=2000)
    return {"groups_added": len(new), "groups_updated": len(changed)}


def _write_population_changes(rows, batch, person_of_row, *, today):
    """Each event once per child, kind and date; only events new to the registry act on the
    file, in date order (an event older than one the registry already acted on is recorded
    only): a death or a cancellation sets the status, a move out of the city
    sets it too, a move within the city (or in) re-ties the child to the new county by its
    household registration. A departed child's open cases close with that reason."""
    events = {}
    for row in rows:
        pk = person_of_row[row["_row"]]
        events.setdefault((pk, row["event"], row["happened_on"]), row)
    known = set()
    for chunk in chunks({pk for pk, _kind, _on in events}):
        known.update(PopulationEvent.objects.filter(person_id__in=chunk)
                     .values_list("person_id", "kind", "happened_on"))
    new = {key: row for key, row in events.items() if key not in known}
    latest = {}  # person pk -> date of the newest event already acted on
    for pk, _kind, on in known:
        latest[pk] = max(on, latest.get(pk, on))
    PopulationEvent.objects.bulk_create([
        PopulationEvent(person_id=pk, county_id=batch.county_id, kind=kind, happened_on=on,
                        from_area_code=row["from_area"] or "", to_area_code=row["to_area"] or "", batch=batch)
        for (pk, kind, on), row in new.items()], batch_size=2000)
    city_codes = set(Area.objects.filter(parent_id=Area.objects.filter(pk=batch.county_id)
                                         .values("parent_id")[:1]).values_list("pk", flat=True))
    fields = ("status", "status_on", "hukou_area_code")
    current = {pk: dict(zip(fields, stored))
               for pk, *stored in rows_where_in(Person, "id", {pk for pk, _k, _o in new}, fields)}
    before = {pk: dict(values) for pk, values in current.items()}
    departed = {}
    for (pk, kind, on), row in sorted(new.items(), key=lambda item: item[0][2]):
        if pk in latest and on < latest[pk]:
            continue  # sent late: recorded, but it does not undo what a newer event said
        person = current[pk]
        to_area = row["to_area"] or ""
        status = STATUS_OF_EVENT.get(kind)
        if kind == PopulationEventKind.MOVE_OUT and to_area not in city_codes:
            status = PersonStatus.MOVED_OUT
        if kind in (PopulationEventKind.MOVE_OUT, PopulationEventKind.MOVE_IN) and to_area:
            person["hukou_area_code"] = to_area  # within the city: the new county's tie
        if kind == PopulationEventKind.BIRTH and to_area and not person["hukou_area_code"]:
            person["hukou_area_code"] = to_area
        if kind == PopulationEventKind.MOVE_IN and person["status"] == PersonStatus.MOVED_OUT:
            person["status"], person["status_on"] = PersonStatus.ACTIVE, on
        if person["status"] == PersonStatus.DECEASED:
            status = None  # a death is final: the registration cancelled after it keeps it
        if status is not None:
            person["status"], person["status_on"] = status, on
            what = "迁出本市" if status == PersonStatus.MOVED_OUT else EVENT_LABELS[kind]
            departed[pk] = f"公安：{what}（{on:%Y-%m-%d}{'，迁往' + to_area if to_area else ''}）"
    changed = [pk for pk, values in current.items() if values != before[pk]]
    now = timezone.now()
    update_values(Person, [*fields, "updated_at"], [(pk, *(current[pk][f] for f in fields), now) for pk in changed])
    history_snapshot(Person, changed, "~", user_id=batch.uploaded_by_id)
    closed = close_departed_cases(notes={pk: note for pk, note in departed.items()
                                         if current[pk]["status"] != PersonStatus.ACTIVE})
    return {"events_added": len(new), "persons_updated": len(changed), "cases_closed_departed": closed}


def _write_maternity_claims(rows, batch, person_of_row, *, today):
    """One claim per mother and delivery day in the county. A known newborn without any
    enrollment opens a newborn case (source: birth one-stop service) for its birth year."""
    existing = {(c.mother_id_number, c.delivered_on): c
                for c in MaternityClaim.objects.filter(
                    county_id=batch.county_id,
                    mother_id_number__in=[row["mother_id_number"].number for row in rows])}
    new, changed = [], []
    for row in rows:
        values = {"hospital": row["hospital"], "birth_certificate_no": row["birth_certificate_no"] or "",
                  "newborn_id": person_of_row.get(row["_row"])}
        claim = existing.get((row["mother_id_number"].number, row["delivered_on"]))
        if claim is None:
            new.append(MaternityClaim(county_id=batch.county_id, mother_id_number=row["mother_id_number"].number,
                                      delivered_on=row["delivered_on"], batch=batch, **values))
        elif set_changed(claim, values):
            changed.append(claim)
    MaternityClaim.objects.bulk_create(new, batch_size=2000)
    MaternityClaim.objects.bulk_update(changed, ["hospital", "birth_certificate_no", "newborn_id"], batch_size=2000)
    newborns = {pk: row["delivered_on"] for row in rows if (pk := person_of_row.get(row["_row"]))}
    no_case = set()  # insured, or no longer here
    for chunk in chunks(newborns):
        no_case.update(EnrollmentRecord.objects.filter(person_id__in=chunk).values_list("person_id", flat=True))
        # enrolled through the birth one-stop platform (own record or a merged certificate record)
        platform = Person.objects.filter(Q(pk__in=chunk) | Q(merged_into_id__in=chunk),
                                         platform_enrolled_on__isnull=False)
        no_case.update(pk if merged is None else merged
                       for pk, merged in platform.values_list("pk", "merged_into_id"))
        # a newborn who died or left needs no case
        no_case.update(Person.objects.filter(pk__in=chunk).exclude(status=PersonStatus.ACTIVE)
                       .values_list("pk", flat=True))
    opened = open_newborn_cases(county=batch.county_id, born={pk: on for pk, on in newborns.items()
                                                              if pk not in no_case}, today=today)
    return {"claims_added": len(new), "claims_updated": len(changed), "newborn_cases_opened": opened}


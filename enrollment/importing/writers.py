"""The one set-based write of a validated list, per layout. Called inside the import's
transaction by ``services.confirm_import``; every query here works on whole sets of rows."""
import hashlib

from django.utils import timezone

from ..benefits.quotes import parameters_for
from ..benefits.rules import in_concentrated_period, insurance_year_for
from ..comparison.services import add_case_source
from ..models import (
    EnrollmentRecord,
    Guardian,
    ImportKind,
    ListEntry,
    ListSource,
    Organisation,
    OrganisationKind,
    Person,
    SchoolPlace,
    SchoolStage,
    SchoolTransfer,
    UninsuredCase,
    WithholdingRecord,
)
from ..models.organisations import HEALTH_KINDS
from ..registry.merging import merge_person
from . import feeds
from .bulk import (
    chunks,
    copy_insert,
    history_snapshot,
    insert_returning_pks,
    rows_where_in,
    set_changed,
    update_rows,
    update_values,
    upsert_values,
)
from .integrity import check_references, locked_rows
from .layouts import FEED_KINDS
from .selectors import LIST_KINDS

RESIDENCE_FIELDS = ("hukou_area_code", "residence_area_code", "residence_permit", "residence_permit_no",
                    "residence_permit_until")
PERSON_UPDATE_FIELDS = {  # a roster's school, grade and class go to the child's SchoolPlace
    ImportKind.SCHOOL_ROSTER: RESIDENCE_FIELDS,
    ImportKind.NEWBORNS: ("platform_enrolled_on", *RESIDENCE_FIELDS),
}
# A partner's list fills these facts of a child the county keeps only where they are empty:
# what the county recorded stays, and a partner cannot tie a child to another county.
PARTNER_FILLS_ONLY = RESIDENCE_FIELDS
# The tables an import writes in bulk, and the counts (of ``write``) of the rows it wrote there:
# a table that gained or changed many rows gets its planner statistics refreshed after the
# import (``services.confirm_import``), or the next queries estimate the new rows as none; a
# table the import left (nearly) as it was keeps its statistics.
ROWS_COUNTED = {
    Person: ("persons_created", "persons_updated"),
    Guardian: ("guardians_added",),
    ListEntry: ("entries",),
    SchoolPlace: ("school_places_written",),
    EnrollmentRecord: ("records_created", "records_updated"),
    WithholdingRecord: ("deductions_created", "deductions_updated"),
    UninsuredCase: ("cases_opened", "cases_closed"),
}


def tables_written(counts, *, at_least):
    """The models of ``ROWS_COUNTED`` into which an import with ``counts`` wrote ``at_least``
    rows."""
    return [model for model, keys in ROWS_COUNTED.items() if sum(counts.get(key, 0) for key in keys) >= at_least]


def write(kind, rows, batch, resolution, *, today):
    if kind in FEED_KINDS:
        return feeds.write(kind, rows, batch, resolution, today=today)
    counts = {"rows": len(rows)}
    named = {*resolution.person_of_row.values(), *resolution.merges, *resolution.merges.values()}
    known = _known_persons(kind, named, lock=kind in LIST_KINDS)
    # A county's list may name a child whose file another county keeps (a partner's may not:
    # ``partners.row_errors`` rejects such rows): it gets a list entry (or an enrollment
    # record), but the file is left as that county keeps it: no update and no ID number or
    # certificate set on it. A newborn's certificate record merges into its ID record whoever
    # keeps either, with a trail both counties read.
    foreign = {pk for pk, stored in known.items() if stored["county_id"] != batch.county_id}
    merges = dict(resolution.merges)
    _merge(merges, batch)
    counts["merged"] = len(merges)
    counts["ids_assigned"] = _assign_keys(resolution, skip=foreign, user_id=batch.uploaded_by_id)
    # A row naming a merged-away record lands on the record it was merged into.
    person_of_row = {row: merges.get(pk, pk) for row, pk in resolution.person_of_row.items()}
    extra = _organisations(kind, rows, batch, counts)
    leaders = resolution.leader_of_row
    new_rows = [row for row in rows
                if person_of_row.get(row["_row"]) is None and leaders.get(row["_row"], row["_row"]) == row["_row"]]
    created = _create_persons(kind, new_rows, batch, extra, resolution.group_certificate)
    person_of_row.update(created)
    person_of_row.update({row: created[leader] for row, leader in leaders.items()})
    counts["persons_created"] = len(created)
    counts["persons_of_other_counties"] = len(foreign)
    current = {pk: stored for pk, stored in known.items() if pk not in foreign and pk not in merges}
    merged_into = _known_persons(kind, set(merges.values()))  # as the merges left them
    current.update(merged_into)
    known.update(merged_into)
    # Each person's sort key (county, name), which its school place keeps a copy of.
    sort_keys = {pk: (stored["county_id"], stored["name"]) for pk, stored in known.items()}
    sort_keys.update({created[row["_row"]]: (batch.county_id, row["name"]) for row in new_rows})
    counts["persons_updated"] = _update_persons(kind, rows, person_of_row, extra, current, batch)
    if kind == ImportKind.SCHOOL_ROSTER:
        counts["school_places_written"] = _write_school_places(rows, batch, person_of_row, extra, sort_keys,
                                                               skip=foreign)
    if kind == ImportKind.ENROLLMENT:
        counts.update(_write_enrollments(rows, batch, person_of_row, parameters_for(batch.county_id, today)))
    elif kind == ImportKind.WITHHOLDING:
        counts.update(_write_withholding(rows, batch, person_of_row, parameters_for(batch.county_id, today),
                                         today=today))
    else:
        # The references checked and locked (integrity.py): the persons this import created,
        # which no one else sees, and those it read FOR KEY SHARE above.
        held = {Person: {*created.values(), *known}}
        counts["guardians_added"] = _write_guardians(rows, person_of_row, skip=foreign, created=set(created.values()),
                                                     organisation=batch.organisation_id, held=held)
        counts["entries"] = _write_entries(kind, rows, batch, person_of_row, extra, held=held)
    return counts, person_of_row


def _known_persons(kind, pks, *, lock=False):
    """``pk -> {"county_id", "name", and the fields the list may update: stored value}`` of
    the persons ``pks`` (those the list names or merges), in one query: the county decides what
    the import may change, the values what it must. ``lock``: the rows are read ``FOR KEY
    SHARE`` (``integrity.locked_rows``), as the entries and guardians written for them need."""
    fields = ("county_id", "name", *PERSON_UPDATE_FIELDS.get(kind, ()))
    pks = set(pks) - {None}
    found = locked_rows(Person, pks, fields) if lock else rows_where_in(Person, "id", pks, fields)
    return {pk: dict(zip(fields, stored)) for pk, *stored in found}


def _merge(merges, batch):
    persons = Person.objects.in_bulk([*merges, *merges.values()])
    for source_pk, target_pk in merges.items():
        merge_person(source=persons[source_pk], target=persons[target_pk], user=batch.uploaded_by, batch=batch)


def _persons(pks, fields):
    """The persons of ``pks``, loading only ``fields`` (and the history's needs come lazily)."""
    found = {}
    for chunk in chunks(pks):
        found.update(Person.objects.only("pk", *fields).in_bulk(chunk))
    return found


def _save_persons(persons, fields, user_id):
    if not persons:
        return
    now = timezone.now()
    for person in persons:
        person.updated_at = now
    update_rows(Person, [*fields, "updated_at"], persons)
    history_snapshot(Person, [person.pk for person in persons], "~", user_id=user_id)


def _assign_keys(resolution, *, skip, user_id):
    wanted = {*resolution.assign_id, *resolution.assign_certificate} - skip
    persons = _persons(list(wanted), ("id_number", "birth_certificate_no"))
    changed = []
    for pk, person in persons.items():
        number = resolution.assign_id.get(pk)
        certificate = resolution.assign_certificate.get(pk)
        touched = False  # a person with nothing to set gets no write and no history row
        if number and not person.id_number:
            person.id_number, touched = number, True
        if certificate and not person.birth_certificate_no:
            person.birth_certificate_no, touched = certificate, True
        if touched:
            changed.append(person)
    _save_persons(changed, ("id_number", "birth_certificate_no"), user_id)
    return sum(1 for pk in resolution.assign_id if pk in persons)


def _person_values(kind, row, extra):
    """Every person column the list carries, empty ones included (a new person gets them all,
    so every row of a creation has the same columns; ``_update_persons`` skips the empties)."""
    if kind == ImportKind.SCHOOL_ROSTER:
        return _residence_values(row)
    if kind == ImportKind.NEWBORNS:
        return {"platform_enrolled_on": row["platform_enrolled_on"], **_residence_values(row)}
    return {}


def _residence_values(row):
    permit = row.get("residence_permit_no") or ""
    return {
        "hukou_area_code": row.get("hukou_area") or "", "residence_area_code": row.get("residence_area") or "",
        # False is "not said" here: a list never takes a permit away, it only records one.
        "residence_permit": bool(permit), "residence_permit_no": permit,
        "residence_permit_until": row.get("residence_permit_until"),
    }


def _create_persons(kind, rows, batch, extra, group_certificate):
    """One new person per row of ``rows``; ``group_certificate``: row -> the certificate
    another row naming the same person gives."""
    fields, values = None, []
    for row in rows:
        facts = row.get("id_number")
        person = {
            "county_id": batch.county_id,
            "id_number": facts.number if facts else None,
            "birth_certificate_no": row.get("birth_certificate_no") or group_certificate.get(row["_row"]),
            "name": row["name"],
            "birth_date": facts.birth_date if facts else row["birth_date"],
            "sex": facts.sex if facts else (row.get("sex") or ""),
            **_person_values(kind, row, extra),
        }
        fields = fields or tuple(person)
        values.append(tuple(person[name] for name in fields))
    pks = insert_returning_pks(Person, fields, values) if values else []
    history_snapshot(Person, pks, "+", user_id=batch.uploaded_by_id)
    return {row["_row"]: pk for row, pk in zip(rows, pks)}


def _update_persons(kind, rows, person_of_row, extra, current, batch):
    """Set the list's facts on the known persons (``current``: pk -> stored values) whose file
    differs; unchanged persons get no write and no history row."""
    fields = PERSON_UPDATE_FIELDS.get(kind)
    if not fields:
        return 0
    partner = batch.organisation_id is not None
    changed, now = [], timezone.now()
    for row in rows:
        pk = person_of_row[row["_row"]]
        stored = current.pop(pk, None)  # the first row naming a person decides, as for its entry
        if stored is None:  # created by this import, of another county, merged away, or named twice
            continue
        # An empty cell (or a missing optional column) keeps what is stored.
        values = {k: v for k, v in _person_values(kind, row, extra).items() if v not in (None, "", False)}
        if partner:  # a partner's list only fills
            values = {k: v for k, v in values.items()
                      if k not in PARTNER_FILLS_ONLY or stored[k] in (None, "", False)}
        if any(stored[k] != v for k, v in values.items()):
            stored.update(values)
            changed.append((pk, *(stored[name] for name in fields), now))
    update_values(Person, [*fields, "updated_at"], changed)
    history_snapshot(Person, [row[0] for row in changed], "~", user_id=batch.uploaded_by_id)
    return len(changed)


def _write_school_places(rows, batch, person_of_row, extra, sort_keys, *, skip):
    """Each child's school, grade and class from a roster into its narrow ``SchoolPlace`` row
    (the wide person row is not touched): one upsert of the new and changed places and their
    history rows; an unchanged place gets no write, so the same roster again writes nothing.
    The first row naming a child decides; ``skip``: files other counties keep. An empty grade
    or class cell keeps what is stored, except for a child who changes school; a partner only
    fills an empty grade or class, and its roster naming a child of another school asks the
    county for a transfer instead of moving the child. Each place written carries (and a
    stale place gets again) its copy of the person's sort key (``sort_keys``: pk -> (county, name))."""
    partner = batch.organisation_id is not None
    wanted = {}
    for row in rows:
        pk = person_of_row[row["_row"]]
        if pk not in skip:
            wanted.setdefault(pk, (extra["schools"][row["school_code"]].pk, row["grade"] or "",
                                   row["class_name"] or ""))
    stored = {pk: tuple(values) for pk, *values in rows_where_in(
        SchoolPlace, "person_id", wanted, ("school_id", "grade", "class_name", "person_county", "person_name"))}
    new, changed, transfers = [], [], []
    for pk, (school, grade, class_name) in wanted.items():
        old = stored.get(pk)
        if old is None or (old[0] != school and not partner):  # a first school, or the county moves it
            place = (school, grade, class_name)
        elif old[0] != school:
            transfers.append(SchoolTransfer(person_id=pk, county_id=batch.county_id, from_school_id=old[0],
                                            to_school_id=school, grade=grade, class_name=class_name, batch=batch))
            continue
        elif partner:
            place = (school, old[1] or grade, old[2] or class_name)
        else:
            place = (school, grade or old[1], class_name or old[2])
        place = (*place, *sort_keys[pk])
        if place != old:
            (new if old is None else changed).append((pk, *place))
    now = timezone.now()
    upsert_values(SchoolPlace, ("school_id", "grade", "class_name", "person_county", "person_name", "updated_at"),
                  ((*place, now) for place in [*new, *changed]))
    history_snapshot(SchoolPlace, [place[0] for place in new], "+", user_id=batch.uploaded_by_id)
    history_snapshot(SchoolPlace, [place[0] for place in changed], "~", user_id=batch.uploaded_by_id)
    SchoolTransfer.objects.bulk_create(transfers, ignore_conflicts=True)
    return len(new) + len(changed)


def _organisations(kind, rows, batch, counts):
    if kind == ImportKind.SCHOOL_ROSTER:
        return {"schools": _schools(rows, batch, counts)}
    if kind == ImportKind.HEALTH_LIST:
        return {"providers": _providers(rows, batch, counts)}
    return {}


def _schools(rows, batch, counts):
    """The schools of the roster by code; county staff's roster registers unknown schools."""
    if batch.organisation_id:
        return {batch.organisation.code: batch.organisation}
    first = {}
    for row in rows:
        first.setdefault(row["school_code"], row)
    schools = {o.code: o for o in Organisation.objects.filter(county_id=batch.county_id, code__in=list(first))}
    new = [
        Organisation(
            county_id=batch.county_id, code=code, name=row["school_name"] or code, stage=row["stage"],
            kind=OrganisationKind.KINDERGARTEN if row["stage"] == SchoolStage.KINDERGARTEN else OrganisationKind.SCHOOL,
        )
        for code, row in first.items() if code not in schools
    ]
    Organisation.objects.bulk_create(new)
    counts["schools_created"] = len(new)
    schools.update({o.code: o for o in new})
    return schools


def provider_code(name):
    return "VP-" + hashlib.sha1(name.encode()).hexdigest()[:12]


def _providers(rows, batch, counts):
    """Vaccination points and clinics by name; a health partner's list is its own."""
    if batch.organisation_id:
        return {row["provider"]: batch.organisation for row in rows}
    names = {row["provider"] for row in rows}
    found = {o.name: o for o in Organisation.objects.filter(
        county_id=batch.county_id, kind__in=HEALTH_KINDS, name__in=names)}
    found.update({o.name: o for o in Organisation.objects.filter(
        county_id=batch.county_id, code__in=[provider_code(n) for n in names if n not in found])})
    new = [Organisation(county_id=batch.county_id, kind=OrganisationKind.VACCINATION_POINT,
                        code=provider_code(name), name=name)
           for name in sorted(names) if name not in found]
    Organisation.objects.bulk_create(new)
    counts["providers_created"] = len(new)
    found.update({o.name: o for o in new})
    return found


def _write_guardians(rows, person_of_row, *, skip, created=frozenset(), organisation=None, held=None):
    """One guardian per person and list; ``created`` persons (new in this import) have none yet.
    A partner's list (``organisation``) adds and updates only the partner's own guardians: the
    county's are never replaced, and the partner never sees them."""
    wanted = {}
    for row in rows:
        if person_of_row[row["_row"]] in skip:
            continue
        guardian_id = row.get("guardian_id_number")
        name, phone = row.get("guardian_name") or "", row.get("guardian_phone") or ""
        permit = row.get("guardian_permit_area") or ""
        if guardian_id or name or phone:
            wanted[person_of_row[row["_row"]]] = (name, guardian_id.number if guardian_id else "", phone, permit)
    existing = {}  # person pk -> [(guardian pk, name, ID number, phone, permit area)]: plain tuples
    for person, *guardian, owner in rows_where_in(  # (key, *fields): person first
        Guardian, "person_id", [pk for pk in wanted if pk not in created],
        ("id", "name", "id_number", "phone", "residence_permit_area_code", "organisation_id"),
    ):
        if owner == organisation:
            existing.setdefault(person, []).append(guardian)
    new, changed = [], []
    for pk, (name, guardian_id, phone, permit) in wanted.items():
        match = next((g for g in existing.get(pk, ())
                      if (guardian_id and g[2] == guardian_id) or (name and g[1] == name)
                      or (not name and not guardian_id and g[3] == phone)), None)
        if match is None:
            new.append((pk, name, guardian_id, phone, "", permit, organisation))
        elif (phone and match[3] != phone) or (guardian_id and not match[2]) or (permit and match[4] != permit):
            changed.append((match[0], phone or match[3], match[2] or guardian_id, permit or match[4]))
    fields = ("person_id", "name", "id_number", "phone", "relation", "residence_permit_area_code", "organisation_id")
    check_references(Guardian, fields, new, held=held)
    copy_insert(Guardian, fields, new)
    update_values(Guardian, ["phone", "id_number", "residence_permit_area_code"], changed)
    return len(new)


def _source(kind, row):
    if kind == ImportKind.SCHOOL_ROSTER:
        return ListSource.KINDERGARTEN if row["stage"] == SchoolStage.KINDERGARTEN else ListSource.SCHOOL
    return ListSource.HEALTH if kind == ImportKind.HEALTH_LIST else ListSource.NEWBORN


def _entry_organisation(kind, row, extra):
    if kind == ImportKind.SCHOOL_ROSTER:
        return extra["schools"][row["school_code"]].pk
    if kind == ImportKind.HEALTH_LIST:
        return extra["providers"][row["provider"]].pk
    return None


def _write_entries(kind, rows, batch, person_of_row, extra, *, held):
    entries = {}  # one entry per person and batch: the first row naming the person
    for row in rows:
        person = person_of_row[row["_row"]]
        entries.setdefault(person, (
            batch.pk, person, batch.county_id, _source(kind, row), _entry_organisation(kind, row, extra),
            row["_row"], row.get("grade") or "", row.get("class_name") or "",
        ))
    fields = ("batch_id", "person_id", "county_id", "source", "organisation_id", "row_number", "grade",
              "class_name")
    check_references(ListEntry, fields, entries.values(), held=held)
    return copy_insert(ListEntry, fields, entries.values())


def _upsert(model, batch, person_of_row, rows, key_fields, fields, item):
    """Insert or update one ``model`` row per key, set-based: ``item(row, person)`` gives
    ``(key values, values, creation-only values)`` for ``key_fields`` (the first of which is
    the person), ``fields`` and the rest. Rows naming one key twice: the first row decides; an
    unchanged row gets no write, so the same list again changes nothing."""
    existing = {}
    for chunk in chunks(list(set(person_of_row.values()))):
        for record in model.objects.filter(person_id__in=chunk):
            existing[tuple(getattr(record, name) for name in key_fields)] = record
    new, changed, seen = [], [], set()
    for row in rows:
        key, values, created_with = item(row, person_of_row[row["_row"]])
        if key in seen:
            continue
        seen.add(key)
        record = existing.get(key)
        if record is None:
            new.append(model(**dict(zip(key_fields, key)), batch=batch, **created_with, **values))
        elif set_changed(record, values):
            record.batch = batch
            changed.append(record)
    model.objects.bulk_create(new, batch_size=2000)
    update_rows(model, [*fields, "batch_id"], changed)
    return len(new), len(changed)


def _write_enrollments(rows, batch, person_of_row, params):
    """``params``: the county's benefit parameters, whose concentrated period marks each payment."""

    def item(row, person):
        values = {
            "area_code": row["area"], "paid_on": row["paid_on"], "channel": row["channel"] or "",
            "in_concentrated_period": in_concentrated_period(row["paid_on"], row["year"], params),
            "catastrophic_paid": row["catastrophic_paid"] or 0, "fund_paid": row["fund_paid"],
        }
        return (person, row["year"], row["scheme"]), values, {}

    created, updated = _upsert(
        EnrollmentRecord, batch, person_of_row, rows, ("person_id", "year", "scheme"),
        ("area_code", "paid_on", "channel", "in_concentrated_period", "catastrophic_paid", "fund_paid"),
        item,
    )
    return {"records_created": created, "records_updated": updated}


def _write_withholding(rows, batch, person_of_row, params, *, today):
    """The deduction results, once per person, agent and deduction day (a file sent again
    changes nothing); each failed deduction of a person not insured for the year it pays for
    opens a case (source: failed withholding) carrying the failure reason."""
    failed = {}

    def item(row, person):
        values = {"agreed_on": row["agreed_on"], "succeeded": row["result"],
                  "failure_reason": row["failure_reason"] or ""}
        if not row["result"]:
            year = insurance_year_for(row["deducted_on"], params)
            failed.setdefault((person, year), f"{row['agent']}代扣失败（{row['deducted_on']}）："
                                              f"{values['failure_reason']}")
        return ((person, row["agent"], row["deducted_on"]), values,
                {"county_id": batch.county_id, "row_number": row["_row"]})

    created, updated = _upsert(WithholdingRecord, batch, person_of_row, rows,
                               ("person_id", "agent", "deducted_on"),
                               ("agreed_on", "succeeded", "failure_reason"), item)
    return {"deductions_created": created, "deductions_updated": updated,
            "cases_opened": _open_withholding_cases(failed, batch, today)}


def _open_withholding_cases(failed, batch, today):
    """``failed``: (person, insurance year) -> note. Skips people already insured for that year;
    a child with a case for that year already (found by a list) keeps that one case, which now
    names the failed withholding among its sources."""
    if not failed:
        return 0
    persons = list({person for person, _year in failed})
    years = {year for _person, year in failed}
    insured, known = set(), set()
    for chunk in chunks(persons):
        insured.update(EnrollmentRecord.objects.filter(person_id__in=chunk, year__in=years)
                       .values_list("person_id", "year"))
        known.update(UninsuredCase.objects.filter(person_id__in=chunk, insurance_year__in=years)
                     .values_list("person_id", "insurance_year"))
    for year in years:
        already = [person for person, case_year in known
                   if case_year == year and (person, year) in failed and (person, year) not in insured]
        for chunk in chunks(already):
            add_case_source(UninsuredCase.objects.filter(person_id__in=chunk, insurance_year=year),
                            ListSource.WITHHOLDING)
    cases = [UninsuredCase(person_id=person, county_id=batch.county_id, source=ListSource.WITHHOLDING,
                           sources=ListSource.WITHHOLDING, insurance_year=year, found_on=today,
                           reason_note=note[:200])
             for (person, year), note in failed.items() if (person, year) not in insured | known]
    UninsuredCase.objects.bulk_create(cases, batch_size=2000)
    return len(cases)

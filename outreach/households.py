"""Households (家庭): children linked through a shared guardian.

Two children are in one household when a guardian of each has the same ID number or the same
phone number, and households are the connected groups of that link (a father's ID links two
children, the mother's phone a third). Only the county's own guardian rows count (those a
partner's list brought stay the partner's).

A phone is NOT a household key when it is
- shared by more than ``HOUSEHOLD_PHONE_MAX_GUARDIANS`` different guardians (setting, default 4:
  a family has a mother, a father and perhaps two grandparents; a school office or a class
  teacher's mobile typed in for every pupil has many), guardians told apart by ID number or
  else by name; or
- an organisation's contact phone, or a bureau's contact phone printed on notices.
ID numbers are always keys.

Everything here works on sets: one query for the guardians of the children asked about, one
for the phones' guardian counts, one for the organisations' phones; the grouping is in memory.
"""
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, NullIf

from enrollment.access.scoping import visible_to
from enrollment.importing.bulk import chunks
from enrollment.models import Guardian, Organisation, Person

from .models import CountyContact

DEFAULT_PHONE_MAX_GUARDIANS = 4
_CHUNK = 500


def phone_limit():
    return getattr(settings, "HOUSEHOLD_PHONE_MAX_GUARDIANS", DEFAULT_PHONE_MAX_GUARDIANS)


def _county_guardians():
    return Guardian.objects.filter(organisation__isnull=True, person__merged_into__isnull=True)


def not_household_phones(phones):
    """Of ``phones``, those that are no household key (shared too widely, or an office's)."""
    phones = {p for p in phones if p}
    if not phones:
        return set()
    excluded = set()
    identity = Coalesce(NullIf(F("id_number"), Value("")), F("name"))
    for chunk in chunks(sorted(phones), _CHUNK):
        excluded.update(
            _county_guardians().filter(phone__in=chunk).values("phone")
            .annotate(n=Count(identity, distinct=True)).filter(n__gt=phone_limit())
            .values_list("phone", flat=True)
        )
        excluded.update(Organisation.objects.filter(contact_phone__in=chunk).values_list("contact_phone", flat=True))
        excluded.update(CountyContact.objects.filter(phone__in=chunk).values_list("phone", flat=True))
    return excluded


def _keys_of(rows):
    """rows of (person_id, id_number, phone) -> person_id -> set of keys."""
    rows = list(rows)
    bad = not_household_phones({phone for _p, _i, phone in rows})
    keys = defaultdict(set)
    for person_id, id_number, phone in rows:
        if id_number:
            keys[person_id].add(("id", id_number))
        if phone and phone not in bad:
            keys[person_id].add(("phone", phone))
    return keys


def _guardian_rows(person_ids):
    for chunk in chunks(sorted(person_ids), _CHUNK):
        yield from _county_guardians().filter(person_id__in=chunk).values_list("person_id", "id_number", "phone")


def group(person_ids):
    """The households among ``person_ids``: a list of sorted lists of person pks (a child
    with no shared guardian is a household of one), ordered by their first pk."""
    person_ids = set(person_ids)
    keys = _keys_of(_guardian_rows(person_ids))
    parent = {pk: pk for pk in person_ids}

    def find(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    owner = {}
    for person_id, person_keys in keys.items():
        for key in person_keys:
            if key in owner:
                a, b = find(owner[key]), find(person_id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = person_id
    groups = defaultdict(list)
    for pk in person_ids:
        groups[find(pk)].append(pk)
    return sorted((sorted(members) for members in groups.values()), key=lambda g: g[0])


def count(person_ids):
    """(children, households) among ``person_ids``."""
    person_ids = set(person_ids)
    return len(person_ids), len(group(person_ids))


def siblings(user, person):
    """The other children of ``person``'s household that ``user`` may see (through the same
    keys, followed one step: the guardians of this child)."""
    keys = _keys_of(_guardian_rows({person.pk})).get(person.pk, set())
    ids = {value for kind, value in keys if kind == "id"}
    phones = {value for kind, value in keys if kind == "phone"}
    if not keys:
        return Person.objects.none()
    others = set()
    if ids:
        others.update(_county_guardians().filter(id_number__in=ids).values_list("person_id", flat=True))
    if phones:
        others.update(_county_guardians().filter(phone__in=phones).values_list("person_id", flat=True))
    others.discard(person.pk)
    return visible_to(Person, user).filter(pk__in=others).select_related("school_place__school").order_by("birth_date", "pk")

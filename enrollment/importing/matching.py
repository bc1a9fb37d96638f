"""Finding the registry record of each imported row, in a few set-based queries.

ID number first; a row without one matches on the birth-certificate number, else on name +
birth date + a guardian's ID number, and never takes a record with another ID number or
certificate than the row's. A row whose fallback finds several records is an error for a person
to decide, never resolved silently (domain.md, "Lessons"). Rows of one file that share an ID
number or a certificate name one person: they land on one record, or create one.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Guardian, Person
from ..registry import id_numbers
from .bulk import chunks, rows_where_in


@dataclass
class Resolution:
    person_of_row: dict = field(default_factory=dict)  # row -> person pk (None: create)
    assign_id: dict = field(default_factory=dict)  # person pk -> ID number to set
    assign_certificate: dict = field(default_factory=dict)  # person pk -> certificate to set
    merges: dict = field(default_factory=dict)  # certificate-only pk -> ID-keyed pk
    errors: list = field(default_factory=list)  # (row, column name, message)
    # Rows of one file that name one new person: row -> the row whose values create it, and
    # that row -> the certificate another row of the group gives (when it has none itself).
    leader_of_row: dict = field(default_factory=dict)
    group_certificate: dict = field(default_factory=dict)


def _lookup(field_name, values):
    return {
        key: (pk, other_id, other_cert)
        for key, pk, other_id, other_cert in rows_where_in(
            Person, field_name, values, ("id", "id_number", "birth_certificate_no"))
    }


def _by_guardian(rows):
    """(name, birth date, guardian ID) -> {person pk: (its ID number, its certificate)} for
    the rows that need the fallback."""
    wanted = {(r["name"], r["birth_date"], r["guardian_id"]) for r in rows}
    found = defaultdict(dict)
    for chunk in chunks({w[2] for w in wanted}):
        for pk, name, birth, gid, number, certificate in Guardian.objects.filter(
            id_number__in=chunk, person__merged_into__isnull=True
        ).values_list("person_id", "person__name", "person__birth_date", "id_number",
                      "person__id_number", "person__birth_certificate_no"):
            if (name, birth, gid) in wanted:
                found[(name, birth, gid)][pk] = (number, certificate)
    return found


def _fallback_candidates(r, by_guardian):
    """The persons of the row's name + birth date + guardian ID that may be the row's person:
    never one that carries another ID number or another certificate than the row."""
    found = by_guardian.get((r["name"], r["birth_date"], r["guardian_id"]), {})
    return {pk for pk, (number, certificate) in found.items()
            if not (r["id"] and number and number != r["id"])
            and not (r["cert"] and certificate and certificate != r["cert"])}


def identity(clean):
    """The matching keys of a clean row (any layout)."""
    facts = clean.get("id_number")
    guardian = clean.get("guardian_id_number")
    return {
        "row": clean["_row"],
        "id": facts.number if facts else None,
        "cert": clean.get("birth_certificate_no"),
        "name": clean.get("name"),
        "birth_date": clean.get("birth_date") or (facts.birth_date if facts else None),
        "guardian_id": guardian.number if guardian else None,
    }


def resolve(rows) -> Resolution:
    """Match identities (from ``identity``) to persons; plan ID assignments and merges."""
    result = Resolution()
    by_id = _lookup("id_number", {r["id"] for r in rows if r["id"]})
    by_cert = _lookup("birth_certificate_no", {r["cert"] for r in rows if r["cert"]})
    fallback_rows = [
        r for r in rows
        if r["guardian_id"] and r["birth_date"] and not by_id.get(r["id"]) and not by_cert.get(r["cert"])
    ]
    by_guardian = _by_guardian(fallback_rows) if fallback_rows else {}
    for r in rows:
        _resolve_one(r, by_id, by_cert, by_guardian, result)
    for group in _same_person_groups(rows):
        _settle_group(group, by_id, by_cert, result)
    return result


def _row_keys(r):
    if r["id"]:
        yield "id", r["id"]
    if r["cert"]:
        yield "cert", r["cert"]
    if not r["id"] and not r["cert"] and r["guardian_id"] and r["birth_date"]:
        yield "guardian", r["name"], r["birth_date"], r["guardian_id"]


def _same_person_groups(rows):
    """The groups (of two rows or more, in file order) of rows that name one person: rows
    sharing an ID number or a certificate number, or, for rows with neither, name + birth
    date + guardian ID; linked in chains (row 1 and 2 share the ID, row 2 and 3 the certificate)."""
    parent = list(range(len(rows)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with = {}
    for i, r in enumerate(rows):
        for key in _row_keys(r):
            a, b = root(i), root(first_with.setdefault(key, i))
            parent[max(a, b)] = min(a, b)
    groups = defaultdict(list)
    for i, r in enumerate(rows):
        groups[root(i)].append(r)
    return [group for group in groups.values() if len(group) > 1]


def _settle_group(group, by_id, by_cert, result):
    """Send every row of ``group`` to one person: the one its rows matched, or one new person."""
    first = group[0]["row"]
    if any(r["row"] not in result.person_of_row for r in group):
        return  # a row of the group is already reported
    numbers = list(dict.fromkeys(r["id"] for r in group if r["id"]))
    certificates = list(dict.fromkeys(r["cert"] for r in group if r["cert"]))
    conflict = ("id_number", "身份证号") if len(numbers) > 1 else (
        ("birth_certificate_no", "出生医学证明编号") if len(certificates) > 1 else None)
    persons = {result.merges.get(pk, pk) for r in group if (pk := result.person_of_row[r["row"]]) is not None}
    if conflict is None and len(persons) > 1:
        conflict = ("id_number", "身份证号或出生医学证明编号所指的档案")
    if conflict is not None:
        column, what = conflict
        for r in group[1:]:
            result.errors.append((r["row"], column, f"与第{first}行的身份证号或出生医学证明编号相同，但{what}不同，请人工核对"))
        return
    if persons:
        person = persons.pop()
        if numbers and not by_id.get(numbers[0]):
            result.assign_id.setdefault(person, numbers[0])
        if certificates and not by_cert.get(certificates[0]):
            result.assign_certificate.setdefault(person, certificates[0])
        for r in group:
            result.person_of_row[r["row"]] = person
        return
    leader = next((r for r in group if r["id"]), group[0])["row"]
    for r in group:
        result.leader_of_row[r["row"]] = leader
    if certificates:
        result.group_certificate[leader] = certificates[0]


def _resolve_one(r, by_id, by_cert, by_guardian, result):
    row = r["row"]
    with_id, with_cert = by_id.get(r["id"]), by_cert.get(r["cert"])
    if with_cert and r["id"] and with_cert[1] and with_cert[1] != r["id"]:
        result.errors.append((row, "birth_certificate_no",
                              f"该出生医学证明编号已登记在身份证号 {id_numbers.mask(with_cert[1])} 的档案上，请人工核对"))
        return
    if with_id and r["cert"] and with_id[2] and with_id[2] != r["cert"]:
        result.errors.append((row, "id_number", "该身份证号的档案登记了另一个出生医学证明编号，请人工核对"))
        return
    if with_id:
        person = with_id[0]
        if with_cert and with_cert[0] != person:
            result.merges[with_cert[0]] = person
        elif r["cert"] and not with_id[2]:
            result.assign_certificate[person] = r["cert"]
    elif with_cert:
        person = with_cert[0]
        if r["id"]:
            result.assign_id[person] = r["id"]
    else:
        candidates = _fallback_candidates(r, by_guardian)
        if len(candidates) > 1:
            result.errors.append((row, "name", f"按姓名、出生日期和监护人身份证号匹配到{len(candidates)}份档案，请人工核对"))
            return
        person = next(iter(candidates), None)
        if person is not None and r["id"]:
            result.assign_id[person] = r["id"]
        if person is not None and r["cert"]:
            result.assign_certificate[person] = r["cert"]
    result.person_of_row[row] = person

"""What a partner's list may do with the files the city keeps.

A partner (a school, a clinic) brings names: its row reaches a child the registry already has
only when the ID number (or birth certificate) *and* the name agree, and only a child its own
county keeps. Any other row is refused with one message that says nothing of what the registry
holds: not whether the number exists, not where, not under which name.
"""
from ..models import Person
from .bulk import rows_where_in

REFUSED = ("无法按此证件号码和姓名登记该儿童，请核对证件号码和姓名；"
           "如确为本单位的儿童，请联系县医保局办理")
OWN_FILE_CONFLICT = "与第"  # the in-file conflicts of matching.py ("与第3行的…") concern the file itself


def row_errors(identities, resolution, county_code):
    """Every ``(row, column, message)`` a partner's list gets from matching: the rows that name
    a person the partner may not reach, and the matching's own refusals reworded the same way."""
    sources_of = {}
    for source, target in resolution.merges.items():
        sources_of.setdefault(target, []).append(source)
    pks = {pk for pk in resolution.person_of_row.values() if pk is not None}
    pks |= set(resolution.merges)
    stored = {pk: (county, name) for pk, county, name in rows_where_in(Person, "id", pks, ("county_id", "name"))}
    errors = []
    for identity in identities:
        pk = resolution.person_of_row.get(identity["row"])
        if pk is None:
            continue
        reached = [pk, *sources_of.get(pk, ())]
        if any(stored[p] != (county_code, identity["name"]) for p in reached):
            errors.append((identity["row"], "id_number", REFUSED))
    reworded = [(row, column, message if message.startswith(OWN_FILE_CONFLICT) else REFUSED)
                for row, column, message in resolution.errors]
    return reworded + errors

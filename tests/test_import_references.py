"""List entries and guardians keep their references without per-row foreign-key constraints
(issue 20): the import checks and locks what its rows reference in one query per table, Django
cascades on deletes, merges re-point to a locked target, and on PostgreSQL a trigger refuses a
delete that would leave an entry or a guardian without its person, batch or organisation."""
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from enrollment.importing import bulk, integrity
from enrollment.models import Guardian, ImportBatch, ImportKind, ListEntry, Person
from enrollment.registry.merging import merge_person

from .factories import make_person

ENTRY_FIELDS = ("batch_id", "person_id", "county_id", "source", "organisation_id", "row_number")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and triggers: PostgreSQL")


def a_batch(county, name="一班.csv"):
    return ImportBatch.objects.create(kind=ImportKind.SCHOOL_ROSTER, county=county, original_name=name,
                                      sha256=name, file=f"imports/{name}")


def write_entry(batch, person, school, row=2):
    """What the roster import does for one row: check and lock the references, then COPY."""
    rows = [(batch.pk, person.pk, batch.county_id, "school", school.pk, row)]
    integrity.check_references(ListEntry, ENTRY_FIELDS, rows)
    bulk.copy_insert(ListEntry, ENTRY_FIELDS, rows)


def dangling():
    """Entries and guardians whose person, batch or organisation does not exist."""
    from enrollment.models import Organisation

    def missing(model, field, target):
        rows = model.objects.exclude(**{f"{field}__in": target.objects.values("pk")}).exclude(**{field: None})
        return list(rows.values_list("pk", flat=True))

    return (missing(ListEntry, "person_id", Person) + missing(ListEntry, "batch_id", ImportBatch)
            + missing(ListEntry, "organisation_id", Organisation) + missing(Guardian, "person_id", Person))


@pytest.mark.django_db
def test_an_entry_naming_a_missing_person_stops_the_import_and_says_which(county_a, school_a):
    batch, child = a_batch(county_a), make_person(county_a)
    missing = child.pk + 1000
    with pytest.raises(IntegrityError, match=rf"enrollment_listentry\.person_id: 1 rows reference missing "
                                             rf"enrollment_person rows \({missing}\)"):
        with transaction.atomic():
            integrity.check_references(ListEntry, ENTRY_FIELDS, [
                (batch.pk, child.pk, county_a.pk, "school", school_a.pk, 2),
                (batch.pk, missing, county_a.pk, "school", school_a.pk, 3),
            ])
    with pytest.raises(IntegrityError, match="enrollment_guardian.organisation_id"):
        integrity.check_references(Guardian, ("person_id", "name", "organisation_id"), [(child.pk, "家长", 999999)])
    # this import's own new persons (or those already checked) are not looked up again
    integrity.check_references(Guardian, ("person_id", "name"), [(missing, "家长")], held={Person: {missing}})


@pytest.mark.django_db
def test_deleting_a_batch_or_a_person_takes_their_entries_and_guardians(county_a, school_a):
    first, second = a_batch(county_a), a_batch(county_a, "二班.csv")
    child, other = make_person(county_a), make_person(county_a, name="另一个", id_number=None,
                                                      birth_certificate_no="Q1")
    write_entry(first, child, school_a)
    write_entry(second, child, school_a)
    write_entry(second, other, school_a, row=3)
    Guardian.objects.create(person=child, name="家长", phone="13800138000")
    first.delete()
    assert ListEntry.objects.filter(person=child).count() == 1
    child.delete()
    assert list(ListEntry.objects.values_list("person_id", flat=True)) == [other.pk]
    assert not Guardian.objects.exists() and dangling() == []


@pytest.mark.django_db
def test_a_merge_moves_entries_and_guardians_to_the_record_kept(county_a, school_a):
    first, second = a_batch(county_a), a_batch(county_a, "二班.csv")
    source = make_person(county_a, name="小宝", id_number=None, birth_certificate_no="Q350900001")
    target = make_person(county_a, name="小宝")
    write_entry(first, source, school_a)
    write_entry(second, source, school_a)
    write_entry(second, target, school_a)  # both on the second list: the source's entry stays with it
    Guardian.objects.create(person=source, name="家长", id_number="350902199203220022")
    merge_person(source=source, target=target)
    assert ListEntry.objects.filter(person=target).count() == 2
    assert Guardian.objects.get().person == target
    assert dangling() == []


@postgres_only
@pytest.mark.django_db
def test_a_delete_or_truncate_by_raw_sql_that_would_leave_an_entry_is_refused(county_a, school_a):
    batch, child = a_batch(county_a), make_person(county_a)
    write_entry(batch, child, school_a)
    for sql, key in (("DELETE FROM enrollment_person WHERE id = %s", child.pk),
                     ("DELETE FROM enrollment_importbatch WHERE id = %s", batch.pk),
                     ("DELETE FROM enrollment_organisation WHERE id = %s", school_a.pk),
                     ("TRUNCATE enrollment_person, enrollment_historicalperson CASCADE", None)):
        with pytest.raises(IntegrityError, match="without its row"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE wants no pending checks
                cursor.execute(sql, [key] if key else None)
    assert dangling() == [] and Person.objects.filter(pk=child.pk).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_person_deleted_while_an_import_writes_its_entry_is_kept(county_a, school_a):
    """The import locks the child it lists; a concurrent delete (Django's, which collects the
    child's entries before it deletes the child) waits for the import, then is refused."""
    batch, child = a_batch(county_a), make_person(county_a)
    locked, outcome = threading.Event(), {}

    def importer():
        try:
            with transaction.atomic():
                write_entry(batch, child, school_a)
                locked.set()
                time.sleep(1.5)  # the delete below now waits on the lock
        finally:
            connection.close()

    def deleter():
        try:
            locked.wait(10)
            Person.objects.get(pk=child.pk).delete()
            outcome["deleted"] = True
        except IntegrityError as error:
            outcome["refused"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=importer), threading.Thread(target=deleter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "without its row" in outcome.get("refused", ""), outcome
    assert ListEntry.objects.filter(person_id=child.pk).count() == 1 and dangling() == []


@pytest.mark.django_db
def test_a_look_up_finds_every_key_whatever_the_keys_hold(county_a):
    """The keys of a look-up reach PostgreSQL as one array literal or one joined text
    (``bulk.any_of``); numbers, texts, and texts that hold the separator or nothing at all
    find exactly their rows, and ``locked_rows`` reads the same rows in key order."""
    people = [make_person(county_a, name=name, birth_certificate_no=certificate)
              for name, certificate in (("甲", "Q001"), ("乙", "Q,002"), ("丙", "Q\x1f003"), ("丁", ""))]
    by_pk = {person.pk: person.name for person in people}
    assert {pk: name for pk, name in bulk.rows_where_in(Person, "id", list(by_pk)[:2], ("name",))} == {
        people[0].pk: "甲", people[1].pk: "乙"}
    for certificates, names in ((["Q001", "Q,002"], {"甲", "乙"}), (["Q\x1f003", "Q001"], {"丙", "甲"}),
                                (["", "Q001"], {"丁", "甲"}), (["Q9"], set())):
        found = bulk.rows_where_in(Person, "birth_certificate_no", certificates, ("name",))
        assert {name for _certificate, name in found} == names, certificates
    with transaction.atomic():
        assert integrity.locked_rows(Person, reversed(list(by_pk)), ("name",)) == sorted(by_pk.items())

"""Today's data under the new model of ties: the migration keeps every file with its county,
now the county that keeps it, and adds the ties without moving anything."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enrollment.access import scoping
from enrollment.models import Person, TieKind
from enrollment.registry.selectors import person_ties

BEFORE = [("enrollment", "0007_withholding")]  # the last migration before the ties


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_files_keep_their_county_as_the_keeping_county(county_user_a):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldPerson, OldGuardian = old.get_model("enrollment", "Person"), old.get_model("enrollment", "Guardian")
    child = OldPerson.objects.create(name="旧档案", birth_date=datetime.date(2016, 1, 1), county_id="350902",
                                     hukou_area_code="350921")
    OldGuardian.objects.create(person_id=child.pk, name="旧家长", phone="13800000000")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # everything, as a deployment migrates

    person = Person.objects.get(pk=child.pk)
    assert person.county_id == "350902" and person.residence_permit_no == ""
    assert person.guardians.get().organisation_id is None  # the county's own guardian
    assert scoping.visible_to(Person, county_user_a).filter(pk=person.pk).exists()
    ties, seen_through = person_ties(person, ["350902"], [])
    assert seen_through == {TieKind.KEEPER} and dict(ties)[TieKind.REGISTRATION] == ["350921"]

"""Migration 0018 (issue 20): each child's school, grade and class move from the person row into
its SchoolPlace, with the list's sort key, and the school's changes from the person's history
into the place's; a child without a school gets no place."""
import datetime

import pytest
from django.utils import timezone

from tests.migration_helpers import migrate_to

BEFORE = [("enrollment", "0017_issue20_case_indexes")]
AFTER = [("enrollment", "0018_issue20_school_place")]


@pytest.mark.django_db(transaction=True)
def test_schools_and_their_history_move_to_the_places(county_a, school_a):
    old = migrate_to(BEFORE)
    try:
        Person = old.get_model("enrollment", "Person")
        History = old.get_model("enrollment", "HistoricalPerson")
        pupil = Person.objects.create(name="在校生", birth_date=datetime.date(2016, 1, 1), county_id=county_a.pk,
                                      school_id=school_a.pk, grade="三年级", class_name="2班")
        Person.objects.create(name="无校儿童", birth_date=datetime.date(2020, 1, 1), county_id=county_a.pk)
        start = timezone.now() - datetime.timedelta(days=10)
        facts = {f.attname: getattr(pupil, f.attname) for f in Person._meta.concrete_fields}
        for day, history_type, changes in (
            (0, "+", {"school_id": None, "grade": "", "class_name": ""}),
            (1, "~", {"class_name": "1班"}),
            (2, "~", {"name": "在校生"}),  # no change of school: no row of the place
            (3, "~", {"class_name": "2班"}),
        ):
            facts.update({"school_id": school_a.pk, "grade": "三年级"} if day else {}, **changes)
            History.objects.create(**facts, history_date=start + datetime.timedelta(days=day),
                                   history_type=history_type)
    finally:
        new = migrate_to(AFTER)
    Place = new.get_model("enrollment", "SchoolPlace")
    place = Place.objects.get()
    assert (place.person_id, place.school_id, place.grade, place.class_name, place.person_county,
            place.person_name) == (pupil.pk, school_a.pk, "三年级", "2班", county_a.pk, "在校生")
    changes = new.get_model("enrollment", "HistoricalSchoolPlace").objects.order_by("history_date")
    assert [(c.history_type, c.school_id, c.class_name) for c in changes] == [
        ("+", school_a.pk, "1班"), ("~", school_a.pk, "2班")]

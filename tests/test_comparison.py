"""The comparison: per-source figures as of a date, the uninsured become cases that keep
their reason until an enrollment extract closes them (and sends ``cases_insured``);
duplicate enrollment is flagged."""
import datetime

import pytest
from django.core.management import call_command

from enrollment.comparison.runs import run_comparison
from enrollment.comparison.services import set_case_reason
from enrollment.models import EnrollmentRecord, ListEntry, Person, UninsuredCase
from enrollment.signals import cases_insured

from .factories import enroll, make_person
from .registry_helpers import (  # noqa: F401
    ENROLLMENT_HEADERS,
    ROSTER_HEADERS,
    enrollment_row,
    media_root,
    roster_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


LIST_DATE = "2026-06-20"  # the lists describe 20 June; they arrive in November


def import_file(kind, path, county="350902"):
    dated = ["--list-date", LIST_DATE] if kind != "enrollment" else []
    call_command("import_file", kind, str(path), "--county", county, "--today", "2026-11-23", *dated)


@pytest.fixture
def covered(county_a):
    """An enrollment extract covering 2026 (a bystander insured in the county)."""
    enroll(make_person(county_a, name="旁人", birth_date=datetime.date(2014, 1, 1)), 2026)


@pytest.fixture
def roster(media_root, tmp_path, county_a):
    """A roster of 4 pupils: 0 insured here, 1 insured elsewhere only, 2 and 3 uninsured
    (3 paid after the cut-off)."""
    rows = roster_rows(4)
    import_file("school_roster", write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, rows))
    pupils = {p.name: p for p in Person.objects.all()}
    enroll(pupils["学生0"], 2026, paid_on=datetime.date(2025, 10, 1))
    enroll(pupils["学生1"], 2026, area_code="330102", paid_on=datetime.date(2025, 10, 1))
    enroll(pupils["学生3"], 2026, paid_on=datetime.date(2026, 7, 15))
    return pupils


def test_figures_per_source_and_cases_for_the_uninsured(roster, county_a, county_user_a):
    run = run_comparison(county=county_a, as_of=AS_OF, user=county_user_a)
    assert run.results["sources"]["school"] == {
        "on_list": 4, "insured_here": 1, "insured_elsewhere": 1, "uninsured": 2, "after_outreach": 0,
        "still_uninsured": 2, "cases_opened": 2,
    }
    assert run.results["sources"]["health"]["on_list"] == 0
    cases = UninsuredCase.objects.filter(county=county_a)
    assert sorted(c.person.name for c in cases) == ["学生2", "学生3"]
    assert {c.entry.organisation.code for c in cases} == {"S3509020001"}


def test_running_again_keeps_the_cases_and_their_reasons(roster, county_a, county_user_a):
    run_comparison(county=county_a, as_of=AS_OF)
    case = UninsuredCase.objects.get(person=roster["学生2"])
    set_case_reason(case=case, reason="unwilling", note="家长拒绝", user=county_user_a)
    again = run_comparison(county=county_a, as_of=AS_OF)
    assert again.results["sources"]["school"]["cases_opened"] == 0
    case.refresh_from_db()
    assert case.reason == "unwilling" and case.is_open


def test_an_enrollment_import_closes_cases_and_sends_cases_insured(roster, county_a, tmp_path):
    run_comparison(county=county_a, as_of=AS_OF)
    received = []

    def listener(sender, case_ids, insured_on, **kwargs):
        received.append((sorted(case_ids), insured_on))

    cases_insured.connect(listener)
    try:
        pupil = roster["学生2"]
        extract = write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS,
                            [enrollment_row(pupil.id_number, pupil.name, paid_on="2026-09-10")])
        import_file("enrollment", extract)
    finally:
        cases_insured.disconnect(listener)
    case = UninsuredCase.objects.get(person=pupil)
    assert case.insured_on == datetime.date(2026, 9, 10) and case.closed_by is not None
    assert received == [([case.pk], {case.pk: datetime.date(2026, 9, 10)})]
    assert UninsuredCase.objects.get(person=roster["学生3"]).is_open


def test_insured_elsewhere_in_an_extract_sets_the_reason(roster, county_a, tmp_path):
    run_comparison(county=county_a, as_of=AS_OF)
    pupil = roster["学生2"]
    extract = write_csv(tmp_path / "x.csv", ENROLLMENT_HEADERS,
                        [enrollment_row(pupil.id_number, pupil.name, area="330102", paid_on="2026-08-01")])
    import_file("enrollment", extract)
    case = UninsuredCase.objects.get(person=pupil)
    assert case.reason == "insured_elsewhere" and case.is_open


def test_duplicate_enrollment_is_flagged_and_listed(county_a, login, county_user_a):
    twice = make_person(county_a, name="重复参保")
    once = make_person(county_a, name="正常参保")
    enroll(twice, 2026)
    enroll(twice, 2026, scheme="employee")
    enroll(once, 2026)
    run = run_comparison(county=county_a, as_of=AS_OF)
    assert run.results["duplicate_enrollment"] == 1
    page = login(county_user_a).get("/duplicates/?year=2026").content.decode()
    assert "重复参保" in page and "正常参保" not in page


def test_the_pages_run_the_comparison_and_set_reasons(roster, login, county_user_a, county_user_b, city_user):
    client = login(county_user_a)
    client.post("/comparison/", {"as_of": "2026-06-30"})
    page = client.get("/comparison/").content.decode()
    assert "2026-06-30" in page
    case = UninsuredCase.objects.get(person=roster["学生2"])
    assert login(county_user_b).post(f"/cases/{case.pk}/reason/", {"reason": "other"}).status_code == 404
    assert login(city_user).post(f"/cases/{case.pk}/reason/", {"reason": "other"}).status_code == 404
    client.post(f"/cases/{case.pk}/reason/", {"reason": "unreachable", "note": "电话空号"})
    case.refresh_from_db()
    assert case.reason == "unreachable" and case.reason_set_by == county_user_a
    cases_page = client.get("/cases/?reason=unreachable").content.decode()
    assert "学生2" in cases_page and "学生3" not in cases_page
    assert "学生2" not in login(county_user_b).get("/cases/").content.decode()
    assert login(city_user).get("/comparison/").status_code == 200


def test_entries_of_a_rejected_file_never_count(media_root, tmp_path, county_a, covered):
    bad = write_csv(tmp_path / "bad.csv", ROSTER_HEADERS, roster_rows(2) + [["123", "x", "S1", "", "小学"]])
    with pytest.raises(Exception):
        import_file("school_roster", bad)
    assert not ListEntry.objects.exists() and EnrollmentRecord.objects.count() == 1  # the bystander's
    assert run_comparison(county=county_a, as_of=AS_OF).results["sources"]["school"]["on_list"] == 0


def test_a_case_closes_on_insurance_in_the_county_that_found_it(media_root, tmp_path, county_a, county_b, covered):
    """A Xiapu child on a Jiaocheng roster: Jiaocheng's case closes when the child is insured in
    Jiaocheng, as the dispatch table counts it, whatever county keeps the child's file."""
    from .registry_helpers import child_id

    child = make_person(county_b, name="霞浦儿童", birth_date=datetime.date(2016, 3, 1),
                        id_number=child_id(40, area="350921"))
    row = [child.id_number, child.name, "S3509020001", "蕉城实验小学", "小学", "三年级", "2班", "家长", ""]
    import_file("school_roster", write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, [row]))
    run_comparison(county=county_a, as_of=AS_OF)
    import_file("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS,
                                        [enrollment_row(child.id_number, child.name, paid_on="2026-09-10")]))
    case = UninsuredCase.objects.get(person=child, county=county_a)
    assert case.insured_on == datetime.date(2026, 9, 10) and case.reason == ""


def test_a_schools_replaced_roster_no_longer_counts(media_root, tmp_path, county_a, school_a, covered):
    """Next term the school sends its roster again without 学生2 and 学生3 (they left)."""
    for name, rows in (("autumn.csv", roster_rows(4)), ("spring.csv", roster_rows(2))):
        call_command("import_file", "school_roster", str(write_csv(tmp_path / name, ROSTER_HEADERS, rows)),
                     "--county", "350902", "--organisation", school_a.code, "--today", "2026-11-23",
                     "--list-date", LIST_DATE)
    run = run_comparison(county=county_a, as_of=AS_OF)
    assert run.results["sources"]["school"]["on_list"] == 2
    assert run.results["sources"]["school"]["cases_opened"] == 2


def test_county_staffs_lists_for_two_schools_both_count(roster, tmp_path, county_a):
    """County staff upload each school's roster in turn: the second does not replace the first."""
    other = roster_rows(3, school_code="S3509020002", school_name="蕉城第二小学", start=20)
    import_file("school_roster", write_csv(tmp_path / "second.csv", ROSTER_HEADERS, other))
    run = run_comparison(county=county_a, as_of=AS_OF)
    assert run.results["sources"]["school"]["on_list"] == 7


def test_a_list_older_than_a_year_no_longer_counts(roster, county_a):
    from enrollment.models import ImportBatch

    ImportBatch.objects.update(list_date=datetime.date(2025, 6, 30))  # a year before: no longer within it
    run = run_comparison(county=county_a, as_of=AS_OF)
    assert run.results["sources"]["school"]["on_list"] == 0
    ImportBatch.objects.update(list_date=datetime.date(2025, 7, 1))
    assert run_comparison(county=county_a, as_of=AS_OF).results["sources"]["school"]["on_list"] == 4


def test_a_child_who_died_gets_no_new_case_from_an_older_list(roster, covered, county_a, county_user_a):
    """A roster dated before the death still counts for a year: the comparison must not open a
    closed-loop case (and so reminders) for a child the registry knows to be deceased."""
    from enrollment.models import PersonStatus

    Person.objects.filter(name="学生2").update(status=PersonStatus.DECEASED, status_on=datetime.date(2026, 6, 25))
    run = run_comparison(county=county_a, as_of=AS_OF, user=county_user_a)
    assert run.results["sources"]["school"]["cases_opened"] == 1
    assert not UninsuredCase.objects.filter(person__name="学生2").exists()


def test_a_runs_people_are_those_of_the_lists_it_compared(roster, covered, tmp_path, county_a, county_user_a):
    """Run on 1 July; another school's June list arrives on 5 July: the run's number and the
    people behind it still agree (the run compared the lists it had)."""
    from enrollment.comparison.runs import people_of_run

    run = run_comparison(county=county_a, as_of=AS_OF, user=county_user_a)
    rows = roster_rows(2, school_code="S3509020002", school_name="蕉城第二小学", start=10)
    import_file("school_roster", write_csv(tmp_path / "late.csv", ROSTER_HEADERS, rows))
    people = people_of_run(Person.objects.all(), run, "school", "on_list")
    assert people.count() == run.results["sources"]["school"]["on_list"] == 4


def test_the_comparison_refuses_a_future_date():
    """Comparing as of a day not yet come would open cases found in the future."""
    from django.utils import timezone

    from enrollment.comparison.forms import ComparisonForm

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ComparisonForm({"as_of": tomorrow.isoformat()})
    assert not form.is_valid() and "晚于今天" in form.errors["as_of"][0]
    assert ComparisonForm({"as_of": timezone.localdate().isoformat()}).is_valid()


# The run computes its figures in one pass (``comparison.onepass``); the people behind each
# figure come from the one definition (``comparison.listed``). Each kind of child below
# exercises one of its conditions; each figure must equal its people.
D = datetime.date


@pytest.fixture
def every_kind_of_child(county_a, school_a, clinic_a):
    """Lists of 1 March (school), 1 May (clinic) and 15 December of the year before
    (kindergarten, counting for a year); compared as of 30 June 2026."""
    from .factories import add_list_entries, make_import_batch, make_organisation

    def child(name, **fields):
        return make_person(county_a, name=name, birth_date=D(2016, 1, 1) + datetime.timedelta(days=len(name)),
                           **fields)

    here, elsewhere, never, after = child("在本县参保"), child("外地参保"), child("从未参保"), child("名单后参保")
    enroll(here, 2026, paid_on=D(2025, 10, 1))
    enroll(elsewhere, 2026, area_code="330102", paid_on=D(2025, 10, 1))
    enroll(after, 2026, paid_on=D(2026, 4, 1))
    platform = child("平台参保新生儿", platform_enrolled_on=D(2026, 2, 1))
    kept = child("合并后保留")
    merged = child("被合并档案", id_number=None, birth_certificate_no="Q350902001",
                   platform_enrolled_on=D(2026, 5, 15), merged_into=kept)
    deceased = child("已故儿童", status="deceased", status_on=D(2026, 6, 1))
    paid_early, unpaid, paid_last_year = child("年前缴费"), child("幼儿园未参保"), child("上年参保")
    enroll(paid_early, 2026, paid_on=D(2025, 11, 20))  # for 2026, before the list of 15 December
    enroll(paid_last_year, 2025, paid_on=D(2025, 3, 1))
    twice = child("重复参保")
    enroll(twice, 2026, paid_on=D(2025, 10, 1))
    enroll(twice, 2026, paid_on=D(2025, 10, 1), scheme="employee")

    def add(kind, source, persons, dated, organisation):
        add_list_entries(make_import_batch(county_a, kind, organisation=organisation, imported_on=dated,
                                           list_date=dated), source, persons)

    add("school_roster", "school", [here, elsewhere, never, after, kept, deceased, twice], D(2026, 3, 1), school_a)
    add("health_list", "health", [never, platform, merged], D(2026, 5, 1), clinic_a)
    add("school_roster", "kindergarten", [paid_early, unpaid, paid_last_year], D(2025, 12, 15),
        make_organisation(county_a, kind="kindergarten", name="蕉城幼儿园"))


def test_each_figure_of_a_run_is_the_people_behind_it(every_kind_of_child, county_a):
    from enrollment.comparison import listed
    from enrollment.comparison.runs import people_of_run

    run = run_comparison(county=county_a, as_of=AS_OF)
    sources = run.results["sources"]
    for source, figures in sources.items():
        for figure in listed.FIGURES:
            people = people_of_run(Person.objects.all(), run, source, figure)
            assert figures[figure] == people.count(), (source, figure)
    assert sources["school"] == {"on_list": 7, "insured_here": 3, "insured_elsewhere": 2, "uninsured": 4,
                                 "after_outreach": 2, "still_uninsured": 2, "cases_opened": 1}
    assert sources["health"] == {"on_list": 2, "insured_here": 0, "insured_elsewhere": 1, "uninsured": 1,
                                 "after_outreach": 0, "still_uninsured": 1, "cases_opened": 0}
    assert sources["kindergarten"] == {"on_list": 3, "insured_here": 1, "insured_elsewhere": 0, "uninsured": 2,
                                       "after_outreach": 0, "still_uninsured": 1, "cases_opened": 1}
    assert run.results["duplicate_enrollment"] == 1
    cases = {case.person.name: (case.source_list, case.entry.source, case.county_id, case.found_on)
             for case in UninsuredCase.objects.select_related("person", "entry")}
    assert cases == {"从未参保": (["school", "health"], "school", "350902", AS_OF),
                     "幼儿园未参保": (["kindergarten"], "kindergarten", "350902", AS_OF)}


def test_a_payment_in_the_county_on_the_lists_date_is_insured_on_it(county_a, school_a):
    """The run takes a child its county shows insured by the list's date as insured on it,
    without reading the child's other records; a payment on the date itself counts, one the
    day after is outreach, and a payment elsewhere before the date still counts."""
    from enrollment.comparison import listed
    from enrollment.comparison.runs import people_of_run

    from .factories import add_list_entries, make_import_batch

    dated = D(2026, 3, 1)

    def child(name, *payments):
        person = make_person(county_a, name=name, birth_date=D(2016, 1, 1) + datetime.timedelta(days=len(name)))
        for area_code, paid_on, scheme in payments:
            enroll(person, 2026, area_code=area_code, paid_on=paid_on, scheme=scheme)
        return person

    on_the_day = child("当日缴费", ("350902", dated, "resident"), ("330102", D(2026, 4, 1), "employee"))
    day_after = child("次日缴费", ("350902", dated + datetime.timedelta(days=1), "resident"))
    elsewhere_first = child("先外地后本县", ("330102", D(2026, 2, 1), "employee"),
                            ("350902", D(2026, 4, 1), "resident"))
    add_list_entries(make_import_batch(county_a, "school_roster", organisation=school_a, imported_on=dated,
                                       list_date=dated), "school", [on_the_day, day_after, elsewhere_first])

    run = run_comparison(county=county_a, as_of=AS_OF)
    school = run.results["sources"]["school"]
    assert school == {"on_list": 3, "insured_here": 3, "insured_elsewhere": 0, "uninsured": 1,
                      "after_outreach": 1, "still_uninsured": 0, "cases_opened": 0}
    for figure in listed.FIGURES:
        assert school[figure] == people_of_run(Person.objects.all(), run, "school", figure).count(), figure
    assert set(people_of_run(Person.objects.all(), run, "school", "after_outreach").values_list("name", flat=True)) \
        == {"次日缴费"}


def test_the_files_merged_into_a_child_are_found_by_index(every_kind_of_child, county_a):
    """SQLite's statistics count the files with no merge as one value of the foreign key's
    index, and its planner then read the whole person table for each uninsured child's merged
    files; the partial index ``person_merged`` holds the merged files only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enrollment.comparison import onepass

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner and statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        run_comparison(county=county_a, as_of=AS_OF)
    create = f"CREATE TEMPORARY TABLE {onepass.TABLE} AS"
    one_pass = next(query["sql"] for query in queries.captured_queries if create in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + one_pass.replace(create, ""))
        plan = [row[-1] for row in cursor.fetchall()]
    assert "SEARCH m USING INDEX person_merged (merged_into_id=?)" in plan, plan
    assert not [step for step in plan if step.startswith(("SCAN m", "SCAN p", "SCAN enrollment_person"))], plan


def _cases():
    return list(UninsuredCase.objects.order_by("pk").values())


def test_running_again_changes_no_case(every_kind_of_child, county_a, county_user_a):
    run_comparison(county=county_a, as_of=AS_OF)
    case = UninsuredCase.objects.get(person__name="从未参保")
    set_case_reason(case=case, reason="unreachable", note="电话空号", user=county_user_a)
    before = _cases()
    again = run_comparison(county=county_a, as_of=AS_OF)
    assert _cases() == before
    assert all(figures["cases_opened"] == 0 for figures in again.results["sources"].values())


def test_a_later_list_adds_its_source_to_the_childs_case(roster, tmp_path, county_a, county_user_a, clinic_a):
    """学生2 has a case from the school roster and a reason; the clinic's list then names the
    child too: the next run opens no second case, adds the source and keeps the reason."""
    from .factories import add_list_entries, make_import_batch

    run_comparison(county=county_a, as_of=AS_OF)
    pupil = roster["学生2"]
    case = UninsuredCase.objects.get(person=pupil)
    set_case_reason(case=case, reason="unwilling", note="家长拒绝", user=county_user_a)
    batch = make_import_batch(county_a, "health_list", organisation=clinic_a, imported_on=datetime.date(2026, 6, 25))
    add_list_entries(batch, "health", [pupil])
    run = run_comparison(county=county_a, as_of=AS_OF)
    assert run.results["sources"]["health"]["still_uninsured"] == 1
    assert run.results["sources"]["health"]["cases_opened"] == 0
    case = UninsuredCase.objects.get(person=pupil)
    assert case.source_list == ["school", "health"] and case.source == "school"
    assert (case.reason, case.reason_note) == ("unwilling", "家长拒绝")

"""Issue 14: every figure tells one story. Hand-built fixtures on the policy's real timeline: the
first dispatch table is due 11 July 2024 with data as of 30 June; the partners' June lists
describe 30 June and arrive in early July."""
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from enrollment.comparison import listed
from enrollment.comparison.runs import ComparisonRefused, run_comparison
from enrollment.comparison.services import set_case_reason
from enrollment.importing.forms import UploadForm
from enrollment.importing.selectors import counting_lists
from enrollment.models import (
    AccessAction,
    AccessEvent,
    ComparisonRun,
    ImportBatch,
    ImportKind,
    Person,
    UninsuredCase,
)
from enrollment.portal.selectors import home_summary
from outreach import services as outreach_services
from outreach.models import OutreachTask
from outreach.reminders import newborn_candidates
from outreach.selectors import uninsured_newborns
from reporting import dashboard
from reporting.dispatch import figures as dispatch

from .factories import add_list_entries, enroll, make_import_batch, make_organisation, make_person
from .registry_helpers import media_root  # noqa: F401
from .reporting_helpers import CUTOFF, dispatch_world  # noqa: F401

D = datetime.date
pytestmark = pytest.mark.django_db


def _list(county, kind, source, persons, *, dated, imported, organisation=None):
    batch = make_import_batch(county, kind, organisation=organisation, imported_on=imported, list_date=dated)
    add_list_entries(batch, source, persons)
    return batch


def _row(county, day=CUTOFF):
    return dispatch.compute([county], day)[county.pk]


@pytest.fixture
def kindergarten(county_a):
    return make_organisation(county_a, kind="kindergarten", name="蕉城幼儿园")


@pytest.fixture
def children(county_a):
    """k1 never insured; k2 insured in January; k3 pays on 20 July (after the cut-off)."""
    k1 = make_person(county_a, name="从未参保", birth_date=D(2020, 3, 1))
    k2 = make_person(county_a, name="一月参保", birth_date=D(2020, 4, 1))
    k3 = make_person(county_a, name="七月缴费", birth_date=D(2020, 5, 1))
    enroll(k2, 2024, paid_on=D(2024, 1, 10))
    enroll(k3, 2024, paid_on=D(2024, 7, 20))
    return k1, k2, k3


def test_a_list_imported_after_its_cutoff_counts(county_a, kindergarten, children):
    """The June list arrives on 3 July: the table as of 30 June counts it."""
    _list(county_a, "school_roster", "kindergarten", children, dated=CUTOFF, imported=D(2024, 7, 3),
          organisation=kindergarten)
    row = _row(county_a)
    assert (row["kg_provided"], row["kg_uninsured"], row["kg_after_outreach"], row["kg_insured"]) == (3, 2, 0, 1)
    # the same list dated 1 July does not count for 30 June
    ImportBatch.objects.update(list_date=D(2024, 7, 1))
    assert _row(county_a)["kg_provided"] == 0


def test_a_past_table_recomputes_the_same_after_later_imports(county_a, kindergarten, children):
    k1, k2, k3 = children
    _list(county_a, "school_roster", "kindergarten", children, dated=D(2024, 6, 15), imported=D(2024, 7, 3),
          organisation=kindergarten)
    before = _row(county_a)
    assert (before["kg_uninsured"], before["kg_after_outreach"]) == (2, 0)
    # In October the kindergarten sends its autumn roster (k1 only) and k3's July payment arrives.
    _list(county_a, "school_roster", "kindergarten", [k1], dated=D(2024, 9, 30), imported=D(2024, 10, 5),
          organisation=kindergarten)
    assert _row(county_a) == before
    assert _row(county_a, D(2024, 9, 30))["kg_provided"] == 1  # the autumn table reads the autumn roster
    # The one exception, said on the page: an extract received later shows k1's payment of
    # 25 June, after the list's date and before the cut-off.
    enroll(k1, 2024, paid_on=D(2024, 6, 25))
    after = _row(county_a)
    assert after["kg_uninsured"] == 2 and after["kg_after_outreach"] == 1


def test_insured_after_outreach_is_a_subset_of_found_uninsured(county_a, kindergarten, children):
    """The list describes 31 May: k3, uninsured then, pays on 20 July; a table as of 31 July
    counts k3 as insured after outreach, and never counts anyone not found uninsured."""
    k1, k2, k3 = children
    enroll(k2, 2024, paid_on=D(2024, 1, 10), scheme="employee")  # insured twice: still not found
    _list(county_a, "school_roster", "kindergarten", children, dated=D(2024, 5, 31), imported=D(2024, 6, 10),
          organisation=kindergarten)
    row = _row(county_a, D(2024, 7, 31))
    assert (row["kg_uninsured"], row["kg_after_outreach"]) == (2, 1)
    people = dispatch.people_behind(Person.objects.all(), "kg_after_outreach", [county_a.pk], D(2024, 7, 31))
    assert list(people.values_list("name", flat=True)) == ["七月缴费"]


def test_two_lists_of_one_school_the_latest_list_date_counts_ties_to_the_later_import(county_a, school_a):
    p1, p2, p3 = (make_person(county_a, name=f"学生{i}", birth_date=D(2015, 1, i + 1)) for i in range(3))
    _list(county_a, "school_roster", "school", [p1, p2], dated=D(2024, 5, 1), imported=D(2024, 5, 3),
          organisation=school_a)
    june = _list(county_a, "school_roster", "school", [p1], dated=D(2024, 6, 1), imported=D(2024, 6, 2),
                 organisation=school_a)
    # an older list received late does not replace the newer one
    _list(county_a, "school_roster", "school", [p1, p2, p3], dated=D(2024, 5, 15), imported=D(2024, 7, 2),
          organisation=school_a)
    assert counting_lists([county_a.pk], CUTOFF) == {june.pk: D(2024, 6, 1)}
    assert _row(county_a)["school_provided"] == 1
    # the same list date sent again, corrected: the later import counts
    corrected = _list(county_a, "school_roster", "school", [p2, p3], dated=D(2024, 6, 1), imported=D(2024, 7, 4),
                      organisation=school_a)
    assert counting_lists([county_a.pk], CUTOFF) == {corrected.pk: D(2024, 6, 1)}
    assert _row(county_a)["school_provided"] == 2


@pytest.fixture
def on_three_lists(county_a, kindergarten, clinic_a):
    """A child on two kindergartens' rosters (it moved) and on the vaccination point's list."""
    child = make_person(county_a, name="三份名单", birth_date=D(2020, 6, 1))
    other = make_organisation(county_a, kind="kindergarten", name="第二幼儿园")
    enroll(make_person(county_a, name="旁人", birth_date=D(2014, 1, 1)), 2024, paid_on=D(2024, 1, 5))
    _list(county_a, "school_roster", "kindergarten", [child], dated=D(2024, 3, 1), imported=D(2024, 3, 5),
          organisation=kindergarten)
    _list(county_a, "school_roster", "kindergarten", [child], dated=D(2024, 5, 1), imported=D(2024, 5, 5),
          organisation=other)
    _list(county_a, "health_list", "health", [child], dated=D(2024, 6, 1), imported=D(2024, 6, 5),
          organisation=clinic_a)
    return child


def test_a_child_on_three_lists_is_one_case(on_three_lists, county_a, county_user_a, school_a, clinic_a):
    row = _row(county_a)
    assert (row["kg_provided"], row["kg_uninsured"], row["health_uninsured"]) == (1, 1, 1)
    run = run_comparison(county=county_a, as_of=CUTOFF, user=county_user_a)
    assert run.results["sources"]["kindergarten"]["cases_opened"] == 1
    assert run.results["sources"]["health"]["cases_opened"] == 0  # the same child: no second case
    case = UninsuredCase.objects.get()
    assert case.source_list == ["kindergarten", "health"]
    assert len(case.get_sources_display().split("、")) == 2
    set_case_reason(case=case, reason="unreachable", note="电话空号", user=county_user_a)
    run_comparison(county=county_a, as_of=CUTOFF, user=county_user_a)  # again: nothing new
    assert UninsuredCase.objects.count() == 1
    assert UninsuredCase.objects.get().reason == "unreachable"
    assert home_summary(county_user_a, today=D(2024, 7, 5))["open_cases"] == 1
    # one partner works the case at a time
    cases = UninsuredCase.objects.all()
    assert outreach_services.create_tasks(user=county_user_a, cases=cases, assignee=school_a, due_on=D(2024, 8, 1),
                                          today=D(2024, 7, 5)) == 1
    assert outreach_services.create_tasks(user=county_user_a, cases=cases, assignee=clinic_a, due_on=D(2024, 8, 1),
                                          today=D(2024, 7, 5)) == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachTask.objects.create(case=case, person=case.person, county=county_a, assignee=clinic_a,
                                    due_on=D(2024, 8, 1))


def test_the_comparison_refuses_an_extract_of_the_wrong_year(county_a, kindergarten, children, login,
                                                             county_user_a, tmp_path):
    """Only the 2023 extract is in: comparing as of 30 June 2024 would call every child uninsured."""
    from enrollment.models import EnrollmentRecord

    extract = make_import_batch(county_a, ImportKind.ENROLLMENT, imported_on=D(2024, 7, 1))
    EnrollmentRecord.objects.all().delete()
    for child in children:
        enroll(child, 2023, paid_on=D(2022, 11, 1), batch=extract)
    _list(county_a, "school_roster", "kindergarten", children, dated=CUTOFF, imported=D(2024, 7, 3),
          organisation=kindergarten)
    with pytest.raises(ComparisonRefused) as refused:
        run_comparison(county=county_a, as_of=CUTOFF)
    assert "2024" in refused.value.message and "参保数据" in refused.value.message
    assert not ComparisonRun.objects.exists() and not UninsuredCase.objects.exists()
    page = login(county_user_a).post("/comparison/", {"as_of": "2024-06-30"})
    assert page.status_code == 200 and "无法比对" in page.content.decode()
    assert not ComparisonRun.objects.exists() and not UninsuredCase.objects.exists()
    # the dispatch table needs no comparison: its figures stand on their own
    assert _row(county_a)["kg_uninsured"] == 3


def test_a_run_opens_from_its_history_and_links_to_its_people(on_three_lists, county_a, login, county_user_a,
                                                              county_user_b):
    run = run_comparison(county=county_a, as_of=CUTOFF, user=county_user_a)
    client = login(county_user_a)
    assert f"/comparison/runs/{run.pk}/" in client.get("/comparison/").content.decode()
    page = client.get(f"/comparison/runs/{run.pk}/").content.decode()
    people_url = f"/comparison/runs/{run.pk}/people/kindergarten/uninsured/"
    assert people_url in page
    assert f"/comparison/runs/{run.pk}/people/kindergarten/after_outreach/" not in page  # a zero is no link
    people = client.get(people_url).content.decode()
    assert "三份名单" in people and on_three_lists.id_number not in people
    assert AccessEvent.objects.filter(user=county_user_a, action=AccessAction.VIEW_LIST).exists()
    outsider = login(county_user_b)
    assert outsider.get(f"/comparison/runs/{run.pk}/").status_code == 404
    assert outsider.get(people_url).status_code == 404
    assert client.get(f"/comparison/runs/{run.pk}/people/kindergarten/nonsense/").status_code == 404


def test_newborns_of_november_and_december_count_in_the_march_report(county_a):
    for name, born, platform in (("十月生", D(2024, 10, 30), D(2024, 10, 31)),
                                 ("十一月生", D(2024, 11, 15), D(2024, 11, 20)),
                                 ("一月生", D(2025, 1, 10), D(2025, 1, 15)),
                                 ("三月才参保", D(2025, 2, 1), D(2025, 3, 2))):
        make_person(county_a, name=name, birth_date=born, platform_enrolled_on=platform)
    assert dispatch.newborn_period_start(D(2024, 6, 30)) == D(2024, 1, 1)  # the first report
    assert dispatch.newborn_period_start(D(2025, 2, 28)) == D(2024, 11, 1)
    assert _row(county_a, D(2025, 2, 28))["newborns"] == 2  # November and January
    assert _row(county_a, D(2024, 10, 31))["newborns"] == 1  # October's, in the November report


def test_a_newborn_enrolled_through_the_platform_is_neither_uninsured_nor_reminded(county_a, county_user_a):
    today = D(2024, 6, 20)
    born = today - datetime.timedelta(days=70)  # 20 days left of the 90
    enrolled = make_person(county_a, name="平台已参保", birth_date=born, platform_enrolled_on=born + datetime.timedelta(days=3))
    waiting = make_person(county_a, name="尚未参保", birth_date=born)
    _list(county_a, "newborns", "newborn", [enrolled, waiting], dated=born + datetime.timedelta(days=5),
          imported=born + datetime.timedelta(days=6))
    _list(county_a, "health_list", "health", [enrolled, waiting], dated=born + datetime.timedelta(days=5),
          imported=born + datetime.timedelta(days=6))
    names = set(uninsured_newborns(Person.objects.all(), born_from=born, born_to=today).values_list("name", flat=True))
    assert names == {"尚未参保"}
    reminded = {candidate.subject_key for candidate in newborn_candidates(today)}
    assert reminded == {f"person:{waiting.pk}"}
    assert _row(county_a, today)["health_uninsured"] == 1


def test_the_upload_form_asks_for_the_list_date(county_user_a):
    today = D(2024, 7, 3)
    form = UploadForm(user=county_user_a, today=today)
    assert form.fields["list_date"].initial == today
    assert 'value="2024-07-03"' in str(form["list_date"])  # the browser's date field shows today
    for day, message in ((D(2024, 7, 4), "晚于今天"), (D(2023, 7, 3), "早于一年前")):
        form = UploadForm({"kind": "school_roster", "list_date": day.isoformat()}, user=county_user_a, today=today)
        assert not form.is_valid() and message in form.errors["list_date"][0]
    for day in (D(2024, 6, 30), D(2023, 7, 4)):
        form = UploadForm({"kind": "school_roster", "list_date": day.isoformat()}, user=county_user_a, today=today)
        form.is_valid()
        assert "list_date" not in form.errors, day


def test_a_december_list_received_in_january_is_taken_for_the_march_report(county_user_a):
    form = UploadForm({"kind": "school_roster", "list_date": "2024-12-31"}, user=county_user_a,
                      today=D(2025, 1, 6))
    form.is_valid()
    assert "list_date" not in form.errors


def test_import_file_takes_the_list_date_and_the_import_page_shows_it(media_root, tmp_path, county_a, login,
                                                                       county_user_a):
    from .registry_helpers import ROSTER_HEADERS, roster_rows, write_csv

    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))
    with pytest.raises(CommandError, match="晚于今天"):
        call_command("import_file", "school_roster", str(path), "--county", county_a.pk, "--today", "2024-07-03",
                     "--list-date", "2024-07-04")
    assert not ImportBatch.objects.exists()
    call_command("import_file", "school_roster", str(path), "--county", county_a.pk, "--today", "2024-07-03",
                 "--list-date", "2024-06-30")
    batch = ImportBatch.objects.get()
    assert batch.list_date == D(2024, 6, 30)
    client = login(county_user_a)
    assert "2024-06-30" in client.get(f"/imports/{batch.pk}/").content.decode()
    pupil = Person.objects.filter(list_entries__batch=batch).first()
    assert "2024-06-30" in client.get(f"/persons/{pupil.pk}/").content.decode()


def test_home_dashboard_and_dispatch_table_agree_on_insured_after_outreach(dispatch_world, county_a, county_user_a):
    row = _row(county_a)
    in_table = row["kg_after_outreach"] + row["school_after_outreach"] + row["health_after_outreach"]
    assert in_table == 3
    assert home_summary(county_user_a, today=D(2024, 7, 5))["after_outreach"] == in_table
    assert dashboard.chart_data(county_user_a, county_a, CUTOFF)["after_outreach"] == in_table
    assert listed.after_outreach_total([county_a.pk], CUTOFF, ("kindergarten", "school", "health")) == in_table


def test_every_figure_of_the_dispatch_page_and_dashboard_has_its_definition(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    page = client.get("/reporting/dispatch/?as_of=2024-06-30").content.decode()
    for key in dispatch.KEYS:
        assert f'href="#def-{key}"' in page and f'id="def-{key}"' in page
    assert "口径" in page and "名单数据截至日期" in page
    board = client.get("/reporting/dashboard/?as_of=2024-06-30").content.decode()
    assert board.count('class="definition"') >= 8 and "档案在本县" in board

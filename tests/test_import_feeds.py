"""The registry's own feeds (issue 18): civil affairs' special groups, public security's
births, deaths and moves, and maternity claims. Each: the sample lands, the sample with
errors is reported row by row and writes nothing, the same file twice changes nothing, and
another county's feed neither touches nor reveals this county's children."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.access.scoping import visible_to
from enrollment.importing import feeds, services
from enrollment.maternity.selectors import uninsured_deliveries, with_days_left
from enrollment.models import (
    ImportBatch,
    ImportKind,
    ListSource,
    MaternityClaim,
    Person,
    PersonSpecialGroup,
    PersonStatus,
    PopulationEvent,
    UninsuredCase,
    UninsuredReason,
)
from outreach.models import Outcome, OutreachTask, TaskStatus
from outreach.selectors import uninsured_newborns

from .factories import enroll, make_case, make_person, put_on_list
from .registry_helpers import FILES, media_root, write_csv  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")
TODAY = datetime.date(2026, 11, 23)  # the feeds arrive days after the events they describe
LIN, CHEN, HUANG = "35090220150302100X", "350902201807091015", "350902201201201021"


def run(kind, path, county, user=None):
    return services.import_path(kind=kind, path=path, county=county, user=user, today=TODAY)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def children(county_a):
    return {
        "lin": make_person(county_a, name="林小雨", id_number=LIN, birth_date=datetime.date(2015, 3, 2), sex="F"),
        "chen": make_person(county_a, name="陈安", id_number=CHEN, birth_date=datetime.date(2018, 7, 9)),
        "huang": make_person(county_a, name="黄思远", id_number=HUANG, birth_date=datetime.date(2012, 1, 20),
                             sex="F", hukou_area_code="350902"),
    }


# special_groups ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_special_groups_sample_lands_with_dates_and_source(county_a, children):
    batch, result, new = run(ImportKind.SPECIAL_GROUPS, FILES / "special_groups.csv", county_a)
    assert batch is not None and new, errors_of(result)
    assert batch.counts["groups_added"] == 4
    lin = {m.group: m for m in PersonSpecialGroup.objects.filter(person=children["lin"])}
    assert set(lin) == {"subsistence", "left_behind"}
    assert lin["subsistence"].valid_from == datetime.date(2025, 1, 1) and lin["subsistence"].valid_until is None
    assert lin["subsistence"].source == "蕉城区民政局"
    chen = PersonSpecialGroup.objects.get(person=children["chen"])
    assert (chen.group, chen.valid_until) == ("disabled", datetime.date(2027, 5, 31))


@pytest.mark.django_db
def test_special_groups_sent_again_change_nothing_and_new_dates_update(tmp_path, county_a, children):
    run(ImportKind.SPECIAL_GROUPS, FILES / "special_groups.csv", county_a)
    batch, _result, new = run(ImportKind.SPECIAL_GROUPS, FILES / "special_groups.csv", county_a)
    assert not new and ImportBatch.objects.count() == 1
    assert PersonSpecialGroup.objects.count() == 4
    # The same rows in another file (another export of the same list): nothing to change.
    text = (FILES / "special_groups.csv").read_text(encoding="utf-8-sig")
    copy = tmp_path / "again.csv"
    copy.write_text(text + "\n", encoding="utf-8")
    batch, _result, new = run(ImportKind.SPECIAL_GROUPS, copy, county_a)
    assert new and batch.counts["groups_added"] == 0 and batch.counts["groups_updated"] == 0
    # The department ends a membership: the end date is recorded.
    ended = write_csv(tmp_path / "ended.csv", ["身份证号", "姓名", "类别", "起始日期", "终止日期", "来源部门"],
                      [[LIN, "林小雨", "低保", "2025-01-01", "2026-06-30", "蕉城区民政局"]])
    batch, _result, _new = run(ImportKind.SPECIAL_GROUPS, ended, county_a)
    assert batch.counts["groups_updated"] == 1
    assert PersonSpecialGroup.objects.get(person=children["lin"], group="subsistence").valid_until == \
        datetime.date(2026, 6, 30)


@pytest.mark.django_db
def test_special_groups_with_errors_name_every_row_and_write_nothing(county_a, children):
    batch, result, _new = run(ImportKind.SPECIAL_GROUPS, FILES / "special_groups_with_errors.csv", county_a)
    assert batch is None
    assert errors_of(result) == [
        (3, "身份证号", "身份证号校验位错误"),
        (4, "类别", "应为：特困 / 低保 / 孤儿 / 事实无人抚养 / 重度残疾 / 防返贫监测 / 医疗救助对象 / 留守儿童"),
        (5, "终止日期", "终止日期早于起始日期"),
        (6, "来源部门", "必填项为空"),
        (7, "身份证号", "与第2行重复"),
    ]
    assert not PersonSpecialGroup.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_another_countys_special_groups_neither_touch_nor_reveal(tmp_path, county_a, county_b,
                                                                 children):
    """County B's civil affairs list names A's children, a child nobody has and a child of A
    under another name: every row gets the same refusal, nothing is written."""
    path = write_csv(tmp_path / "b.csv", ["身份证号", "姓名", "类别", "起始日期", "终止日期", "来源部门"], [
        [LIN, "林小雨", "低保", "2025-01-01", "", "霞浦县民政局"],
        ["350921201501010015", "无此人", "低保", "2025-01-01", "", "霞浦县民政局"],
    ])
    _batch, result, _new = run(ImportKind.SPECIAL_GROUPS, path, county_b)
    assert errors_of(result) == [(2, "身份证号", feeds.NOT_ON_FILE), (3, "身份证号", feeds.NOT_ON_FILE)]
    wrong_name = write_csv(tmp_path / "a.csv", ["身份证号", "姓名", "类别", "起始日期", "终止日期", "来源部门"],
                           [[LIN, "林大雨", "低保", "2025-01-01", "", "蕉城区民政局"]])
    _batch, result, _new = run(ImportKind.SPECIAL_GROUPS, wrong_name, county_a)
    assert errors_of(result) == [(2, "身份证号", feeds.NOT_ON_FILE)]
    assert not PersonSpecialGroup.objects.exists()


# population_changes -----------------------------------------------------------------------

@pytest.fixture
def newborn(county_a):
    return make_person(county_a, name="新生儿", birth_certificate_no="Q350902260801",
                       birth_date=datetime.date(2026, 8, 1))


@pytest.mark.django_db
def test_deaths_and_moves_close_cases_stop_reminders_and_retie(county_a, county_b, county_user_b,
                                                               children, newborn, clinic_a):
    dead_case = make_case(person=children["lin"], year=2026, found_on=datetime.date(2026, 10, 1))
    gone_case = make_case(person=children["chen"], year=2026, found_on=datetime.date(2026, 10, 1))
    moved_case = make_case(person=children["huang"], year=2026, found_on=datetime.date(2026, 10, 1))
    task = OutreachTask.objects.create(case=dead_case, person=children["lin"], county=county_a, assignee=clinic_a,
                                       due_on=datetime.date(2026, 12, 1))
    assert children["huang"] not in visible_to(Person, county_user_b)
    batch, result, _new = run(ImportKind.POPULATION_CHANGES, FILES / "population_changes.csv", county_a)
    assert batch is not None, errors_of(result)
    assert batch.counts["events_added"] == 4 and batch.counts["cases_closed_departed"] == 2
    for person in children.values():
        person.refresh_from_db()
    assert (children["lin"].status, children["lin"].status_on) == (PersonStatus.DECEASED, datetime.date(2026, 11, 2))
    assert children["chen"].status == PersonStatus.MOVED_OUT and children["chen"].hukou_area_code == "110105"
    dead_case.refresh_from_db()
    gone_case.refresh_from_db()
    assert dead_case.reason == UninsuredReason.MOVED_OR_DIED and "死亡" in dead_case.reason_note
    assert gone_case.reason == UninsuredReason.MOVED_OR_DIED and "迁出本市" in gone_case.reason_note
    task.refresh_from_db()
    assert (task.status, task.outcome) == (TaskStatus.DONE, Outcome.MOVED_AWAY)  # no more task reminders
    # A move within the city re-ties the child: 霞浦 now sees the file; the case stays open.
    assert children["huang"].status == PersonStatus.ACTIVE and children["huang"].hukou_area_code == "350921"
    assert visible_to(Person, county_user_b).filter(pk=children["huang"].pk).exists()
    moved_case.refresh_from_db()
    assert moved_case.reason == ""
    newborn.refresh_from_db()
    assert newborn.hukou_area_code == "350902" and newborn.status == PersonStatus.ACTIVE
    # The history says who changed the file: the uploader (none here) and when.
    assert children["lin"].history.first().status == PersonStatus.DECEASED


@pytest.mark.django_db
def test_a_dead_newborn_gets_no_newborn_reminder(tmp_path, county_a, newborn):
    put_on_list(newborn, ListSource.NEWBORN)
    window = dict(born_from=datetime.date(2026, 7, 1), born_to=TODAY)
    assert uninsured_newborns(Person.objects.all(), **window).filter(pk=newborn.pk).exists()
    path = write_csv(tmp_path / "death.csv", ["身份证号", "出生医学证明编号", "变动类型", "变动日期"],
                     [["", "Q350902260801", "死亡", "2026-11-20"]])
    run(ImportKind.POPULATION_CHANGES, path, county_a)
    assert not uninsured_newborns(Person.objects.all(), **window).filter(pk=newborn.pk).exists()


@pytest.mark.django_db
def test_population_changes_sent_again_change_nothing(tmp_path, county_a, children, newborn):
    run(ImportKind.POPULATION_CHANGES, FILES / "population_changes.csv", county_a)
    history = Person.history.count()
    _batch, _result, new = run(ImportKind.POPULATION_CHANGES, FILES / "population_changes.csv", county_a)
    assert not new
    copy = tmp_path / "again.csv"
    copy.write_text((FILES / "population_changes.csv").read_text(encoding="utf-8-sig") + "\n", encoding="utf-8")
    batch, _result, new = run(ImportKind.POPULATION_CHANGES, copy, county_a)
    assert new and batch.counts["events_added"] == 0 and batch.counts["cases_closed_departed"] == 0
    assert PopulationEvent.objects.count() == 4 and Person.history.count() == history


@pytest.mark.django_db
def test_population_changes_with_errors_name_every_row(county_a, children):
    batch, result, _new = run(ImportKind.POPULATION_CHANGES, FILES / "population_changes_with_errors.csv",
                              county_a)
    assert batch is None
    assert errors_of(result) == [
        (2, "身份证号", "身份证号和出生医学证明编号至少填写一项"),
        (3, "变动类型", "应为：出生 / 死亡 / 迁入 / 迁出 / 注销"),
        (4, "迁入地区代码", "迁出须填写迁入地区代码"),
        (5, "变动日期", "日期晚于今天"),
        (6, "迁出地区代码", "地区代码应为6位数字"),
    ]
    assert not PopulationEvent.objects.exists()
    assert set(Person.objects.values_list("status", flat=True)) == {PersonStatus.ACTIVE}


@pytest.mark.django_db
def test_another_countys_police_feed_cannot_mark_a_child_dead(county_a, county_b, children, newborn):
    case = make_case(person=children["lin"], year=2026)
    _batch, result, _new = run(ImportKind.POPULATION_CHANGES, FILES / "population_changes.csv", county_b)
    assert {message for _row, _column, message in errors_of(result)} == {feeds.NOT_ON_FILE}
    assert len(result.errors) == 4
    assert set(Person.objects.values_list("status", flat=True)) == {PersonStatus.ACTIVE}
    case.refresh_from_db()
    assert case.reason == "" and not PopulationEvent.objects.exists()


# maternity_claims -------------------------------------------------------------------------

@pytest.fixture
def claimed_newborn(county_a):
    return make_person(county_a, name="待参保新生儿", birth_certificate_no="Q350902261020",
                       birth_date=datetime.date(2026, 10, 20))


@pytest.mark.django_db
def test_maternity_claims_become_newborn_cases_with_days_left(county_a, claimed_newborn, county_user_a,
                                                              county_user_b):
    batch, result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    assert batch is not None, errors_of(result)
    assert batch.counts["claims_added"] == 2 and batch.counts["newborn_cases_opened"] == 1
    case = UninsuredCase.objects.get(person=claimed_newborn)
    assert (case.source, case.insurance_year, case.found_on) == (ListSource.NEWBORN, 2026, TODAY)
    known, unknown = MaternityClaim.objects.order_by("-delivered_on")
    assert known.newborn == claimed_newborn and unknown.newborn is None
    # The newborn cases by days left: the unknown newborn first (7 days), then the known (56).
    cases = with_days_left(uninsured_deliveries(county_user_a, TODAY), TODAY)
    assert [(c.newborn, c.days_left, c.deadline) for c in cases] == [
        (None, 7, datetime.date(2026, 11, 30)), (claimed_newborn, 56, datetime.date(2027, 1, 18))]
    enroll(claimed_newborn, 2026, paid_on=datetime.date(2026, 11, 25))  # insured: off the list
    assert [c.newborn for c in uninsured_deliveries(county_user_a, datetime.date(2026, 11, 26))] == [None]
    assert not uninsured_deliveries(county_user_b, TODAY).exists()
    _batch, _result, new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    assert not new and MaternityClaim.objects.count() == 2 and UninsuredCase.objects.count() == 1


@pytest.mark.django_db
def test_an_insured_newborn_gets_no_case(county_a, claimed_newborn):
    enroll(claimed_newborn, 2026, paid_on=datetime.date(2026, 11, 1))
    batch, _result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    assert batch.counts["newborn_cases_opened"] == 0 and not UninsuredCase.objects.exists()


@pytest.mark.django_db
def test_maternity_claims_with_errors_name_every_row(county_a):
    batch, result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims_with_errors.csv", county_a)
    assert batch is None
    assert errors_of(result) == [
        (2, "母亲身份证号", "身份证号校验位错误"),
        (3, "分娩日期", "日期晚于今天"),
        (4, "分娩医院", "必填项为空"),
        (5, "新生儿出生医学证明编号", "出生医学证明编号只能由字母、数字组成，最长20位"),
    ]
    assert not MaternityClaim.objects.exists()


@pytest.mark.django_db
def test_a_maternity_claim_never_reaches_another_countys_newborn(county_b, claimed_newborn):
    """B's claim names A's newborn by certificate: the claim is B's, tied to no child, and
    no case is opened on A's child."""
    batch, _result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_b)
    assert batch.counts["newborn_cases_opened"] == 0
    assert not MaternityClaim.objects.filter(newborn__isnull=False).exists()
    assert not UninsuredCase.objects.exists()


# Through the pages ------------------------------------------------------------------------

@pytest.mark.django_db
def test_county_staff_import_a_feed_through_the_pages_and_partners_cannot(login, county_user_a, school_user_a,
                                                                          children):
    def upload(client):
        path = FILES / "special_groups.csv"
        return client.post("/imports/", {"kind": "special_groups",
                                          "file": SimpleUploadedFile(path.name, path.read_bytes())})

    client = login(county_user_a)
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "ready"
    client.post(f"/imports/{batch.pk}/confirm/")
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert PersonSpecialGroup.objects.count() == 4 and ">4<" in page  # the count, labelled
    template = client.get("/imports/templates/maternity_claims.csv")
    assert "母亲身份证号".encode() in template.content
    assert upload(login(school_user_a)).status_code == 200  # the form refuses the kind
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_a_newborn_enrolled_through_the_birth_platform_gets_no_case_nor_listing(county_a, claimed_newborn,
                                                                               county_user_a):
    """Issue 14: a newborn the birth one-stop platform enrolled is insured, even before the
    enrollment extract shows it: its mother's claim opens no case and the page does not list it."""
    Person.objects.filter(pk=claimed_newborn.pk).update(platform_enrolled_on=datetime.date(2026, 10, 25))
    batch, _result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    assert batch.counts["newborn_cases_opened"] == 0 and not UninsuredCase.objects.exists()
    assert claimed_newborn not in [c.newborn for c in uninsured_deliveries(county_user_a, TODAY)]


@pytest.mark.django_db
def test_a_claimed_newborn_merged_into_its_id_record_leaves_the_page_once_insured(county_a, claimed_newborn,
                                                                                county_user_a):
    """The birth-certificate record the claim names is merged into the ID record when the ID
    arrives; the enrollment lands on the ID record: the claim follows the child."""
    from enrollment.registry.merging import merge_person

    run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    target = make_person(county_a, name="待参保新生儿", birth_date=datetime.date(2026, 10, 20))
    merge_person(source=claimed_newborn, target=target)
    assert MaternityClaim.objects.filter(newborn=target).exists()
    enroll(target, 2026, paid_on=datetime.date(2026, 11, 25))
    assert [c.newborn for c in uninsured_deliveries(county_user_a, datetime.date(2026, 11, 26))] == [None]


@pytest.mark.django_db
def test_an_older_event_sent_late_does_not_undo_a_newer_one(tmp_path, county_a, children):
    """Public security sends a move out of the city (October); a later file still carries the
    child's move in of March. The March event is recorded, but the file keeps what October said."""
    headers = ["身份证号", "出生医学证明编号", "变动类型", "变动日期", "迁出地区代码", "迁入地区代码"]
    run(ImportKind.POPULATION_CHANGES, write_csv(tmp_path / "oct.csv", headers,
                                                 [[CHEN, "", "迁出", "2026-10-01", "350902", "110105"]]), county_a)
    batch, result, _new = run(ImportKind.POPULATION_CHANGES, write_csv(
        tmp_path / "late.csv", headers, [[CHEN, "", "迁入", "2026-03-01", "350100", "350902"]]), county_a)
    assert batch is not None, errors_of(result)
    chen = Person.objects.get(pk=children["chen"].pk)
    assert (chen.status, chen.status_on, chen.hukou_area_code) == (
        PersonStatus.MOVED_OUT, datetime.date(2026, 10, 1), "110105")
    assert PopulationEvent.objects.filter(person=chen).count() == 2


@pytest.mark.django_db
def test_a_registration_cancelled_after_death_keeps_the_death(tmp_path, county_a, children):
    """死亡 then 户口注销 (the household registration of the dead is cancelled): the file still
    says deceased, from the day of death."""
    headers = ["身份证号", "出生医学证明编号", "变动类型", "变动日期", "迁出地区代码", "迁入地区代码"]
    run(ImportKind.POPULATION_CHANGES, write_csv(tmp_path / "death.csv", headers, [
        [LIN, "", "死亡", "2026-11-02", "", ""], [LIN, "", "注销", "2026-11-10", "", ""]]), county_a)
    lin = Person.objects.get(pk=children["lin"].pk)
    assert (lin.status, lin.status_on) == (PersonStatus.DECEASED, datetime.date(2026, 11, 2))


@pytest.mark.django_db
def test_a_refused_birth_certificate_row_names_the_certificate_column(county_b, newborn):
    """A row that gives only the birth certificate: the refusal names that column."""
    _batch, result, _new = run(ImportKind.POPULATION_CHANGES, FILES / "population_changes.csv", county_b)
    assert (5, "出生医学证明编号", feeds.NOT_ON_FILE) in errors_of(result)


@pytest.mark.django_db
def test_a_claimed_newborn_who_died_gets_no_case(county_a, claimed_newborn):
    Person.objects.filter(pk=claimed_newborn.pk).update(status=PersonStatus.DECEASED,
                                                        status_on=datetime.date(2026, 10, 22))
    batch, _result, _new = run(ImportKind.MATERNITY_CLAIMS, FILES / "maternity_claims.csv", county_a)
    assert batch.counts["newborn_cases_opened"] == 0 and not UninsuredCase.objects.exists()

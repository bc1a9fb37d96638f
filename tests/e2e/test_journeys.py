"""The main journeys of the portal in a real browser, as their users walk them."""
import datetime

from playwright.sync_api import expect

from enrollment.models import Person
from outreach.models import ContactRecord, OutreachTask
from tests.factories import enroll, make_id, make_person
from tests.trust_helpers import world_of

from .conftest import E2E

pytestmark = E2E


def roster_file(tmp_path, school, rows):
    """A school roster CSV as a liaison would save it from Excel (UTF-8 with BOM)."""
    lines = ["身份证号,姓名,学校代码,学校名称,学段,年级,班级,监护人姓名,监护人电话"]
    lines += [f"{id_number},{name},{school.code},{school.name},小学,一年级,一(2)班,家长,13900000000"
              for id_number, name in rows]
    path = tmp_path / "一年级名单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_a_school_liaison_uploads_a_roster_and_sees_its_errors(
    page, log_in, school_user_a, school_a, tmp_path, shoot
):
    good = make_id("350902", datetime.date(2019, 3, 1))
    valid = make_id("350902", datetime.date(2019, 4, 1))
    bad_check = valid[:17] + ("1" if valid[17] == "0" else "0")
    path = roster_file(tmp_path, school_a, [(good, "林小雨"), (bad_check, "陈小明"), (make_id("350902"), "")])
    log_in(school_user_a)
    page.goto("/imports/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/imports/*/")
    problems = page.locator("table").filter(has_text="校验位")
    expect(problems).to_be_visible()
    expect(page.locator("body")).to_contain_text("姓名")
    expect(page.locator("h2").filter(has_text="未导入")).to_be_visible()
    shoot(page, "school-roster-errors")
    assert page.locator("form[action$='/confirm/']").count() == 0, "a file with errors offers no confirm"
    assert not Person.objects.filter(name__in=["林小雨", "陈小明"]).exists()


def test_a_partner_records_an_outcome(page, log_in, health_user_a, clinic_a, county_a, shoot):
    world = world_of(county_a, marker="王小花", owner=clinic_a)
    log_in(health_user_a)
    page.goto("/outreach/tasks/")
    page.click("text=王小花")
    page.wait_for_url(f"**/outreach/tasks/{world.task.pk}/")
    page.fill("input[name=date]", f"{datetime.date.today():%Y-%m-%d}")
    page.select_option("select[name=method]", "home_visit")
    page.select_option("select[name=outcome]", "will_enroll")
    page.fill("input[name=note]", "家长答应本周内缴费")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messages")).to_contain_text("联系记录已保存")
    shoot(page, "partner-outcome")
    contact = ContactRecord.objects.filter(task=world.task).exclude(pk=world.contact.pk).get()
    assert (contact.method, contact.outcome, contact.by_id) == ("home_visit", "will_enroll", health_user_a.pk)
    assert "家长答应本周内缴费" in page.content()
    assert OutreachTask.objects.get(pk=world.task.pk).outcome in ("will_enroll", "")


def test_staff_export_the_dispatch_table(page, log_in, county_user_a, county_a, tmp_path, shoot):
    world_of(county_a, marker="赵小宝")
    log_in(county_user_a)
    page.goto("/reporting/dispatch/")
    expect(page.locator("body")).to_contain_text("调度表")
    shoot(page, "dispatch-table")
    with page.expect_download() as download_info:
        page.click("p.exports a:text-is('CSV')")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert "蕉城区" in text and "霞浦县" not in text
    assert "赵小宝" not in text, "the dispatch table holds figures, never names"


def test_county_staff_compare_assign_and_print_a_class_notices(
    celery_worker, page, log_in, county_user_a, school_a, county_a, tmp_path, shoot
):
    from pypdf import PdfReader

    from enrollment.importing import services
    from enrollment.models import UninsuredCase

    names = ["林小雨", "陈小明", "黄丽丽"]
    rows = [(make_id("350902", datetime.date(2018, 5, i + 1)), name) for i, name in enumerate(names)]
    path = roster_file(tmp_path, school_a, rows)
    batch, result, _ = services.import_path(kind="school_roster", path=path, county=county_a)
    assert batch is not None, result.errors
    # the enrollment data cover this year (else the comparison is refused: issue 14)
    enroll(make_person(county_a, name="旁人", birth_date=datetime.date(2014, 1, 1)), datetime.date.today().year)

    log_in(county_user_a)
    page.goto("/comparison/")
    page.fill("input[name=as_of]", f"{datetime.date.today():%Y-%m-%d}")
    page.get_by_role("button", name="比对").click()
    expect(page.locator("ul.messages")).to_be_visible()
    shoot(page, "comparison")
    assert UninsuredCase.objects.filter(person__name__in=names).count() == 3

    page.goto("/outreach/uninsured/")
    page.select_option("select[name=assignee]", label=school_a.name)
    page.fill("input[name=due_on]", f"{datetime.date.today() + datetime.timedelta(days=14):%Y-%m-%d}")
    page.locator("button[name=scope][value=filtered]").click()
    expect(page.locator("ul.messages")).to_contain_text("3")
    shoot(page, "assigned")
    assert OutreachTask.objects.filter(assignee=school_a, person__name__in=names).count() == 3

    page.goto("/outreach/notices/")
    page.select_option("select[name=school]", label=school_a.name)
    page.fill("input[name=class_name]", "一(2)班")
    page.fill("input[name=pay_by]", f"{datetime.date.today() + datetime.timedelta(days=30):%Y-%m-%d}")
    page.get_by_role("button", name="打印告知书").click()
    download_link = page.locator("a[href*='/download/']")
    expect(download_link).to_be_visible(timeout=180_000)  # the page refreshes until the worker is done
    shoot(page, "notices-ready")
    with page.expect_download() as download_info:
        download_link.first.click()
    saved = tmp_path / "notices.pdf"
    download_info.value.save_as(saved)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(saved).pages)
    assert all(name in text for name in names), text[:500]


def test_a_name_carrying_script_never_runs_in_the_browser(page, log_in, county_user_a, county_a, shoot):
    world = world_of(county_a, marker="<svg onload=alert(1)><script>alert(2)</script>")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(county_user_a)
    for url in ("/persons/", f"/persons/{world.person.pk}/", "/outreach/tasks/", f"/outreach/tasks/{world.task.pk}/",
                "/outreach/uninsured/", "/audit/"):
        page.goto(url)
        page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text("<script>alert(2)</script>")  # shown as text
    shoot(page, "hostile-name-as-text")
    assert dialogs == [], f"a script from a name ran: {dialogs}"

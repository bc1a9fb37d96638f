"""Every date field of the portal in Debian's chromium (issue 17): the zh-hans date format
(2026/11/29) is not a value `<input type="date">` accepts, so a field written that way shows
empty and blocks a required form. Each page's own default must be a valid date and submit."""
import datetime
import re

from playwright.sync_api import expect

from tests.trust_helpers import world_of

from .conftest import E2E

pytestmark = E2E

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_fields(page):
    """(name, value, valid, required) of every date input on the page."""
    return page.eval_on_selector_all(
        "input[type=date]",
        "els => els.map(e => [e.name, e.value, e.validity.valid, e.required])",
    )


def assert_dates_ok(page, *, expect_names):
    fields = date_fields(page)
    names = {name for name, *_ in fields}
    assert set(expect_names) <= names, (page.url, fields)
    for name, value, valid, required in fields:
        assert valid, f"{page.url}: {name}={value!r} is refused by the browser"
        if required or name in expect_names:
            assert ISO.match(value), f"{page.url}: {name} shows empty (value {value!r})"


def submit_form_of(page, field_name):
    """Click the submit button of the form holding the date field; the browser must let the
    form go (a refused date keeps the page where it is, with a bubble)."""
    form = page.locator(f"form:has(input[name={field_name}][type=date])").first
    assert form.evaluate("f => f.checkValidity()"), f"{page.url}: the form is blocked by its defaults"
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()


def test_every_date_field_of_county_staff_has_an_iso_default_that_submits(
    page, log_in, county_user_a, county_a
):
    world = world_of(county_a, marker="钱小日")
    log_in(county_user_a)
    today = datetime.date.today()

    pages = [
        ("/comparison/", ["as_of"], "as_of"),
        ("/reporting/dispatch/", ["as_of"], "as_of"),
        ("/reporting/dashboard/", ["as_of"], "as_of"),
        ("/outreach/notices/", ["pay_by"], None),
        ("/outreach/uninsured/", ["due_on"], None),
        ("/outreach/tasks/", ["pay_by"], "pay_by"),
        ("/outreach/progress/?due_from=2026-01-05", ["due_from", "due_to"], "due_from"),
        ("/audit/", ["date_from", "date_to"], None),
    ]
    for url, names, submit in pages:
        page.goto(url)
        assert_dates_ok(page, expect_names=[n for n in names if n not in ("due_from", "due_to",
                                                                          "date_from", "date_to")])
        assert {n for n, *_ in date_fields(page)} >= set(names), url
        if submit:
            submit_form_of(page, submit)
            expect(page.locator("ul.errorlist")).to_have_count(0)

    # The dispatch table's own date is today's default cut-off, in ISO, and it submits.
    page.goto("/reporting/dispatch/")
    value = page.input_value("input[name=as_of]")
    assert datetime.date.fromisoformat(value) <= today

    # The task page: the contact date is today; the change form starts on the task's deadline.
    page.goto(f"/outreach/tasks/{world.task.pk}/")
    assert_dates_ok(page, expect_names=["date", "due_on"])
    fields = dict((n, v) for n, v, *_ in date_fields(page))
    assert fields == {"date": today.isoformat(), "due_on": world.task.due_on.isoformat()}
    page.fill("input[name=reason]", "延长期限")
    page.fill("input[name=due_on]", (world.task.due_on + datetime.timedelta(days=7)).isoformat())
    submit_form_of(page, "due_on")
    expect(page.locator("ul.messages")).to_contain_text("任务已调整")


def test_the_calculator_and_a_partners_contact_date_submit(
    page, log_in, county_user_a, health_user_a, clinic_a, county_a
):
    world = world_of(county_a, marker="孙小月", owner=clinic_a)
    log_in(county_user_a)
    page.goto("/benefits/")
    assert_dates_ok(page, expect_names=["enrolled_on"])
    page.fill("textarea[name=history]", "2023-2025 参保")
    submit_form_of(page, "enrolled_on")
    expect(page.locator("ul.errorlist")).to_have_count(0)

    page.context.clear_cookies()
    log_in(health_user_a)
    page.goto(f"/outreach/tasks/{world.task.pk}/")
    assert_dates_ok(page, expect_names=["date"])
    assert page.input_value("input[name=date]") == datetime.date.today().isoformat()
    page.select_option("select[name=method]", "phone")
    submit_form_of(page, "date")
    expect(page.locator("ul.messages")).to_contain_text("联系记录已保存")

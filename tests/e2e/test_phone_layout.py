"""Partners work on phones (issue 17): at 390 px no element of their pages sits off-screen,
the log-out button included. Element boxes are measured in Debian's chromium; a wide table
may scroll inside its own box, never the page."""
import datetime

from enrollment.models import Guardian
from outreach.models import OutreachTask
from tests.factories import make_person, put_on_list
from tests.trust_helpers import world_of

from .conftest import E2E

pytestmark = E2E

WIDTH = 390

# Boxes right of the viewport, skipping what scrolls inside a box of its own (overflow-x: auto).
OFF_SCREEN = """width => {
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  return [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') return false;
    return (r.right > width + 1 || r.left < -1) && !scrolls(el);
  }).slice(0, 10).map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 30));
}"""


def assert_fits(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH + 1, f"{url}: the page scrolls sideways"
    off = page.evaluate(OFF_SCREEN, WIDTH)
    assert not off, f"{url}: off-screen {off}"
    logout = page.get_by_role("button", name="退出")
    box = logout.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{url}: 退出 is off-screen ({box})"


def test_a_health_partners_pages_fit_a_phone(page, log_in, health_user_a, clinic_a, county_a, shoot):
    world = world_of(county_a, marker="手机孩子", owner=clinic_a)
    OutreachTask.objects.filter(pk=world.task.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=2))
    baby = make_person(county_a, name="手机宝宝", birth_date=datetime.date.today() - datetime.timedelta(days=84))
    put_on_list(baby, "health", organisation=clinic_a)
    Guardian.objects.create(person=baby, name="宝宝妈妈", phone="13912345678", organisation=clinic_a)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    log_in(health_user_a)
    for url in ("/", "/outreach/tasks/", f"/outreach/tasks/{world.task.pk}/", "/outreach/newborns/",
                f"/persons/{world.person.pk}/", "/outreach/notifications/"):
        assert_fits(page, url)
    page.goto("/")
    shoot(page, "phone-health-home")


def test_a_school_liaisons_pages_fit_a_phone(page, log_in, school_user_a, school_a, county_a, shoot):
    world = world_of(county_a, marker="校园孩子", owner=school_a)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    log_in(school_user_a)
    for url in ("/", "/outreach/tasks/", f"/outreach/tasks/{world.task.pk}/", "/outreach/notices/",
                "/imports/", "/persons/"):
        assert_fits(page, url)
    page.goto("/")
    shoot(page, "phone-school-home")


def test_county_staff_s_figures_and_calculator_fit_a_phone(page, log_in, county_user_a, county_a):
    """The dashboard's charts and the calculator's label | field table at 390 px."""
    page.set_viewport_size({"width": WIDTH, "height": 844})
    log_in(county_user_a)
    for url in ("/reporting/dashboard/", "/benefits/", "/reporting/dispatch/", "/outreach/renewals/",
                "/changes/", "/reporting/subsidy/"):
        assert_fits(page, url)

"""Logging in through the browser: a wrong password says so in Chinese; the right one lands
on the home page with the user's county."""
from playwright.sync_api import expect

from .conftest import E2E

pytestmark = E2E


def test_a_wrong_password_is_refused_in_chinese(page, log_in, county_user_a, shoot):
    log_in(county_user_a, password="not-the-password")
    expect(page.locator("p.error")).to_contain_text("用户名或密码错误")
    assert "/login/" in page.url
    shoot(page, "login-failed")


def test_county_staff_log_in_and_see_their_county(page, log_in, county_user_a, shoot):
    log_in(county_user_a)
    page.wait_for_url("**/")
    expect(page.locator(".whoami")).to_contain_text("蕉城区")
    expect(page.locator("nav.mainnav")).to_be_visible()
    shoot(page, "home-county-a")

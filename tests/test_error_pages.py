"""The error pages are in Chinese with debug off (issue 17): 404 (also for a page outside the
user's area), 403, 500 and the CSRF failure."""
import pytest
from django.test import Client

from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def test_a_page_outside_the_users_county_is_a_chinese_404(login, county_user_a, county_b):
    person = make_person(county_b, name="外县孩子")
    response = login(county_user_a).get(f"/persons/{person.pk}/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "返回首页" in text
    assert "外县孩子" not in text and "Not Found" not in text


def test_an_unknown_address_is_a_chinese_404_for_anyone(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.urls("tests.error_urls")
def test_a_forbidden_page_is_a_chinese_403(login, county_user_a):
    response = login(county_user_a).get("/test-forbidden/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权访问" in text and "403 Forbidden" not in text


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_is_a_chinese_500(county_user_a):
    client = Client(raise_request_exception=False)
    client.force_login(county_user_a, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/test-broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器错误" in text and "Server Error" not in text and "boom" not in text


def test_a_form_sent_without_its_csrf_token_is_refused_in_chinese(county_user_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": county_user_a.username, "password": PASSWORD})
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已失效" in text and "CSRF" not in text
    assert "_auth_user_id" not in client.session, "the login was refused"

"""Browser login: Chinese login page, lockout after repeated failures, idle timeout."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_speaks_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "<title>登录" in page and "用户名" in page and 'lang="zh-CN"' in page


def test_correct_password_logs_in_and_lands_on_home(county_user_a):
    client = Client()
    response = post_login(client, "county_a", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert "蕉城区" in client.get(reverse("home")).content.decode()


def test_wrong_password_says_so_in_chinese(county_user_a):
    response = post_login(Client(), "county_a", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_account_locks_after_five_failures_even_with_the_right_password(county_user_a):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "county_a", "wrong")
    response = post_login(client, "county_a", PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(county_user_a, county_user_b):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(Client(), "county_a", "wrong")
    assert post_login(Client(), "county_b", PASSWORD).status_code == 302


def test_sessions_time_out_when_idle():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle time, not time since login


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))

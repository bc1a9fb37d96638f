"""Production settings pass Django's deployment checks; they differ only by variables."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import celery_worker

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "ybj.example.gov.cn",
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **env},
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_starts_without_a_warning(tmp_path):
    """A new user's first commands run on SQLite: no system check may greet them with a
    warning (person_county_birth's covering columns are PostgreSQL's only)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--database", "default", "--fail-level",
                             "WARNING"], cwd=ROOT,
                            capture_output=True, text=True, env={**env, "PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout and "WARNINGS" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_csp_is_sent():
    script = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.stdout.split() == ["True", "True", "True", "[\"'self'\"]"], result.stderr


def fresh_filesystem_broker(tmp_path):
    """The environment of a fresh checkout: var/ (and the broker folders in it) do not exist."""
    var = tmp_path / "var"
    return var, {**os.environ, "PORTAL_VAR_DIR": str(var), "CELERY_BROKER_URL": "filesystem://",
                 "DJANGO_SETTINGS_MODULE": "config.settings"}


def test_importing_the_settings_creates_no_folders(tmp_path):
    var, env = fresh_filesystem_broker(tmp_path)
    script = "import django; django.setup(); import config.settings, config.celery"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert not var.exists()


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # areas come from a migration
def test_a_real_worker_runs_on_a_fresh_filesystem_broker(tmp_path):
    var, env = fresh_filesystem_broker(tmp_path)
    script = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "from tests.celery_worker import WorkerProcess\n"
        "WorkerProcess(app).start().stop()  # start() fails unless a ping comes back\n"
        "print('worker answered')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240,
        env={**env, "DATABASE_URL": celery_worker.test_database_url()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "worker answered" in result.stdout
    assert sorted(path.name for path in (var / "celery-broker").iterdir()) == ["control", "processed", "queue"]


LOGIN_PAGE_WITH_DEBUG_OFF = """
import re, django
django.setup()
from django.test import Client
from django.urls import reverse
client = Client(HTTP_HOST="ybj.example.gov.cn")
page = client.get(reverse("login"), secure=True)
print(page.status_code)
for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.content.decode()):
    print(url, client.get(url, secure=True).status_code)
"""


def test_collectstatic_and_the_login_page_work_with_debug_off(tmp_path):
    """collectstatic with the production settings (the manifest storage refuses a file that
    names a missing one, e.g. a source map), then the login page and its static files."""
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static"), "PORTAL_VAR_DIR": str(tmp_path / "var"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}", "REDIS_URL": "",
           "CELERY_BROKER_URL": "filesystem://"}
    collected = manage("collectstatic", "--noinput", **env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    result = subprocess.run(
        [sys.executable, "-c", LOGIN_PAGE_WITH_DEBUG_OFF], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    lines = result.stdout.split("\n")
    assert lines[0] == "200", result.stdout + result.stderr
    statics = [line.split() for line in lines[1:] if line]
    assert statics and all(status == "200" for _url, status in statics), statics

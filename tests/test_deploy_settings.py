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

"""The README's first command, run from a clean clone as a new user would: it sets up, loads
the demo and serves the portal with a Celery worker. (The second command is the one running
this suite: CI calls it from a fresh clone.)"""
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("PORTAL_TEST_PASS") == "postgres",
        reason="run once, in the SQLite pass: the demo command uses the embedded default",
    ),
]


def readme_commands():
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Two commands")[1]
    section = section.split("\n## ")[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_commands():
    assert readme_commands() == ["bin/demo", "bin/test"]
    assert "exec bin/test" in ROOT.joinpath(".ci/run").read_text()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds, process=None):
    """The status of ``url`` once it answers; fails at once when ``process`` has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the command ended with {process.returncode}:\n{process.stdout.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            time.sleep(2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def wait_for_group_to_end(group, seconds):
    """The pids of ``group`` still alive after ``seconds`` (then killed, so nothing lingers)."""
    deadline = time.monotonic() + seconds
    while True:
        alive = subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True).stdout.split()
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(1)
    if alive:
        os.killpg(group, signal.SIGKILL)
    return alive


def log_in(base, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{base}/login/", data=data.encode(), headers={"Referer": f"{base}/login/"})
    return opener.open(request).read().decode()


def test_demo_command_serves_the_portal_from_a_clean_clone(tmp_path):
    clone = tmp_path / "portal"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    command = readme_commands()[0]
    process = subprocess.Popen(
        ["bash", "-c", command], cwd=clone, env={**os.environ, "PORT": str(port)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(f"{base}/login/", seconds=900, process=process) == 200
        home = log_in(base, "county_jiaocheng", "Demo@2026")
        assert "蕉城区" in home and "在册0—18岁儿童" in home
        # The demo's planner statistics exist: without them SQLite probed each child's list
        # entries through the county index and the county home page took seconds.
        with sqlite3.connect(clone / "var" / "portal.sqlite3") as database:
            analysed = {row[0] for row in database.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
        assert {"enrollment_person", "enrollment_listentry", "enrollment_enrollmentrecord"} <= analysed
        log = clone / "var" / "celery.log"
        deadline = time.monotonic() + 120
        while "ready" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "the Celery worker never became ready"
            time.sleep(2)
        assert "beat: Starting" in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
        leftovers = wait_for_group_to_end(process.pid, seconds=30)
    assert "Demo logins" in output
    assert not leftovers, f"bin/demo left processes running after it was stopped: {leftovers}"


def test_migrate_works_in_a_fresh_clone_before_any_setup(tmp_path):
    """``manage.py migrate`` on a clone that has no ``var/`` yet (bin/setup never ran)."""
    clone = tmp_path / "portal"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    assert not (clone / "var").exists()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "PORTAL_VAR_DIR", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (clone / "var" / "portal.sqlite3").stat().st_size > 0

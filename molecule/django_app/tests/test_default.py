"""django_app role: releases, graceful HUP reloads, a kept SECRET_KEY, git sources."""

import re
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest
import requests
import yaml

from conftest import REPO, assert_refused, role_play, run_play

HOST = "dja-django"
SITE = "http://127.0.0.1:18082"
DEMO = REPO / "examples" / "demo_app"
VARS = yaml.safe_load((Path(__file__).parent.parent / "vars.yml").read_text())
APP_VARS = {k: v for k, v in VARS.items() if k.startswith("django_app_")}
APP_VARS["django_app_source_path"] = str(DEMO)


def deploy(**overrides):
    return run_play(HOST, role_play("django_app", {**APP_VARS, **overrides}))


def gunicorn(host):
    """(master pid, sorted worker pids)."""
    master = int(host.run("supervisorctl pid django-gunicorn").stdout)
    workers = sorted(int(p) for p in host.run(f"pgrep -P {master}").stdout.split())
    return master, workers


def modified_demo(text):
    """A copy of the demo app whose page title is `text`."""
    tmp = Path(tempfile.mkdtemp(prefix="demo-copy-"))
    shutil.copytree(DEMO, tmp / "app", ignore=shutil.ignore_patterns("__pycache__", "staticfiles"))
    page = tmp / "app" / "notes" / "templates" / "notes" / "index.html"
    page.write_text(page.read_text().replace("<h1>Notes</h1>", f"<h1>{text}</h1>"))
    return tmp / "app"


def test_site_served():
    assert requests.get(f"{SITE}/healthz", timeout=5).json()["status"] == "ok"
    assert "<h1>Notes</h1>" in requests.get(f"{SITE}/", timeout=5).text


def test_gunicorn_defaults(host):
    conf = host.file("/etc/django/gunicorn.conf.py").content_string
    assert "workers = multiprocessing.cpu_count() + 1" in conf
    assert "max_requests = 20000" in conf and "max_requests_jitter = 2000" in conf
    assert "accesslog" not in conf, "nginx logs the requests; gunicorn's access log is off by default"
    master, workers = gunicorn(host)
    cores = int(host.run("python3 -c 'import os; print(os.cpu_count())'").stdout)
    assert len(workers) == cores + 1
    assert host.process.get(pid=master).user == "django"


# Each deploy through the podman connection takes ~30 s, so the tests below share a few.

def test_code_change_is_a_new_release_and_a_graceful_reload(host):
    master, workers = gunicorn(host)
    before = host.file("/srv/django/current").linked_to
    result = deploy(django_app_source_path=str(modified_demo("Release two")))
    assert result.rc == 0, result.output[-3000:]
    assert "Reload gunicorn" in result.output
    assert host.file("/srv/django/current").linked_to != before
    new_master, new_workers = gunicorn(host)
    assert new_master == master, "HUP, not a restart"
    assert set(new_workers).isdisjoint(workers), "every worker replaced"
    assert "<h1>Release two</h1>" in requests.get(f"{SITE}/", timeout=5).text
    assert len(host.run("ls /srv/django/releases").stdout.split()) == 2


def test_back_to_the_first_release(host):
    master = gunicorn(host)[0]
    releases = host.run("ls /srv/django/releases").stdout.split()
    result = deploy(django_app_releases_kept=2)
    assert result.rc == 0, result.output[-3000:]
    current = host.file("/srv/django/current").linked_to.rsplit("/", 1)[1]
    assert current in releases, "same code, same release id"
    assert host.run("ls /srv/django/releases").stdout.split() == releases, "previous one kept"
    assert "<h1>Notes</h1>" in requests.get(f"{SITE}/", timeout=5).text
    assert gunicorn(host)[0] == master


def test_environment_change_reloads_without_restart_and_given_secret_key(host):
    secret = host.file("/etc/django/secret_key").content_string
    assert f"SECRET_KEY={shlex.quote(secret.strip())}" in host.file("/etc/django/environment").content_string
    master, workers = gunicorn(host)
    result = deploy(django_app_environment={"LOG_LEVEL": "WARNING"},
                    django_app_secret_key="k" * 60)
    assert result.rc == 0, result.output[-3000:]
    env = host.file("/etc/django/environment").content_string
    assert "LOG_LEVEL=WARNING" in env.splitlines()
    assert f"SECRET_KEY={'k' * 60}" in env.splitlines()
    assert host.file("/etc/django/secret_key").content_string == secret, "kept, not replaced"
    assert gunicorn(host)[0] == master
    assert set(gunicorn(host)[1]).isdisjoint(workers)
    assert requests.get(f"{SITE}/healthz", timeout=5).status_code == 200


def test_git_source_and_generated_secret_key_back(host):
    secret = host.file("/etc/django/secret_key").content_string
    host.run("rm -rf /opt/demo.git /tmp/demo-src")
    assert host.run("apt-get install -y -q git").rc == 0
    setup = ("git init -q -b main /tmp/demo-src && cp -r /srv/django/current/. /tmp/demo-src/ "
             "&& cd /tmp/demo-src && rm -f .release "
             "&& sed -i 's|<h1>Notes</h1>|<h1>From git</h1>|' notes/templates/notes/index.html "
             "&& git add -A && git -c user.name=t -c user.email=t@t commit -qm demo "
             "&& git clone -q --bare /tmp/demo-src /opt/demo.git")
    assert host.run(setup).rc == 0
    result = deploy(django_app_source_type="git", django_app_git_repo="file:///opt/demo.git",
                    django_app_git_version="main")
    assert result.rc == 0, result.output[-3000:]
    commit = host.run("git --git-dir=/opt/demo.git rev-parse main").stdout.strip()
    assert host.file("/srv/django/current").linked_to == f"/srv/django/releases/{commit[:12]}"
    assert "<h1>From git</h1>" in requests.get(f"{SITE}/", timeout=5).text
    env = host.file("/etc/django/environment").content_string
    assert f"SECRET_KEY={shlex.quote(secret.strip())}" in env.splitlines()
    assert "LOG_LEVEL" not in env


def test_redeploy_migrates_nothing_and_prunes_old_releases(host):
    git_release = host.file("/srv/django/current").linked_to
    result = deploy(django_app_releases_kept=2)
    assert result.rc == 0, result.output[-3000:]
    current = host.file("/srv/django/current").linked_to
    assert sorted(host.run("ls -d /srv/django/releases/*").stdout.split()) == \
        sorted([current, git_release]), "older releases pruned, live and previous kept"
    assert re.search(r"TASK \[django_aws.deploy.django_app : Apply migrations[^\n]*\n[^\n]*\nok:",
                     result.output), "migrate ran and reported unchanged"
    assert "<h1>Notes</h1>" in requests.get(f"{SITE}/", timeout=5).text


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("overrides, variable, words", [
    ({"django_app_gunicorn_workers": "many"}, "django_app_gunicorn_workers", "unable to convert to int"),
    ({"django_app_source_type": "svn"}, "django_app_source_type", "must be one of: path, archive, git"),
    ({"django_app_database_url": None}, "django_app_database_url", "is required"),
    ({"django_app_gunicorn_worker_class": "eventlet"}, "django_app_gunicorn_worker_class", "must be one of"),
    ({"django_app_source_path": "/nonexistent/app"}, "django_app_source_path", "does not exist"),
    ({"django_app_database_url": "mysql://u:p@h/d"}, "django_app_database_url", "postgres:// scheme"),
    ({"django_app_settings_module": None}, "django_app_settings_module", "missing required arguments"),
])
def test_bad_input_fails_before_any_change(host, overrides, variable, words):
    variables = {k: v for k, v in {**APP_VARS, **overrides}.items() if v is not None}
    result = assert_refused(host, HOST, "django_app", variables, variable, words,
                            ["/etc/django", "/srv/django"])
    assert "django-app-molecule-pw" not in result.output

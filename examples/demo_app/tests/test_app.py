"""The demo app against a real PostgreSQL server."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import APP_DIR


# Over HTTPS Django also checks that a POST comes from the site itself, as browsers say.
BROWSER = {"Referer": "https://testserver/"}


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_healthz_ok(client):
    response = client.get("/healthz", secure=True)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_plain_http_is_not_redirected(client):
    # A load balancer checks over HTTP; every other page redirects to HTTPS.
    assert client.get("/healthz").status_code == 200
    page = client.get("/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def test_healthz_503_when_database_unreachable(client, django_db):
    from tests.postgres_server import free_port

    settings_dict = django_db.settings_dict
    port = settings_dict["PORT"]
    django_db.close()
    settings_dict["PORT"] = str(free_port())  # nothing listens there
    try:
        response = client.get("/healthz", secure=True)
    finally:
        django_db.close()
        settings_dict["PORT"] = port
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


def test_page_lists_and_creates_rows(client):
    page = client.get("/", secure=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'href="/static/notes/site\.[0-9a-f]{12}\.css"', html), "hashed CSS link"

    response = client.post(
        "/", {"text": "hello from the test", "csrfmiddlewaretoken": csrf_token(html)},
        secure=True, headers=BROWSER,
    )
    assert response.status_code == 302

    from notes.models import Note

    assert Note.objects.filter(text="hello from the test").exists()
    assert "hello from the test" in client.get("/", secure=True).content.decode()


def test_post_without_csrf_token_is_refused(client):
    from notes.models import Note

    before = Note.objects.count()
    response = client.post("/", {"text": "forged"}, secure=True, headers=BROWSER)
    assert response.status_code == 403
    assert Note.objects.count() == before


def test_invalid_post_is_400(client):
    html = client.get("/", secure=True).content.decode()
    response = client.post("/", {"text": "", "csrfmiddlewaretoken": csrf_token(html)},
                           secure=True, headers=BROWSER)
    assert response.status_code == 400


def test_admin_login_page(client):
    assert client.get("/admin/login/", secure=True).status_code == 200


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=APP_DIR, env={**os.environ, **env},
        capture_output=True, text=True,
    )


def test_check_deploy_is_clean_over_tls(app_env):
    result = manage(app_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_debug_is_on(app_env):
    result = manage({**app_env, "DEBUG": "true"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_migrations_are_up_to_date(app_env):
    result = manage(app_env, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_required_settings(app_env, missing):
    env = {k: v for k, v in {**os.environ, **app_env}.items() if k != missing}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=APP_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert f"The {missing} environment variable is required" in result.stderr


def test_debug_must_be_a_boolean(app_env):
    result = manage({**app_env, "DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_worker_task_reverses_and_says_where(django_db):
    from notes.tasks import reverse_text

    answer = reverse_text.apply(args=["abc"]).get()
    assert answer["reversed"] == "cba"
    assert answer["worker_pid"] == os.getpid()


def test_worker_page_503_without_a_broker(client):
    from django.test import override_settings

    with override_settings(CELERY_BROKER_URL=""):
        response = client.get("/worker", secure=True)
    assert response.status_code == 503
    assert "REDIS_URL is empty" in response.json()["error"]


def test_worker_page_503_when_the_broker_is_unreachable(client):
    # A closed port on the loopback: the page answers within seconds, it does not hang.
    from django.test import override_settings

    from demo.celery import app
    from tests.postgres_server import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    saved = app.conf.broker_url
    app.conf.broker_url = url
    try:
        with override_settings(CELERY_BROKER_URL=url):
            response = client.get("/worker", secure=True)
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 503
    assert response.json()["error"].startswith("broker unreachable")


def test_worker_page_refuses_long_text(client):
    from django.test import override_settings

    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/worker?text=" + "x" * 65, secure=True)
    assert response.status_code == 400

"""projects: third-party Django projects deployed untouched, with inventory variables only.

dja-startproject serves a fresh `django-admin startproject shop` (plus the test's catalog app),
dja-wagtail a fresh `wagtail start mysite`, dja-press a startproject with a typical project's layout
(static sources in BASE_DIR/static, a strict DEBUG parser, offline compression, a translation),
all generated at prepare time (prepare.yml). Their
variables are molecule.yml's host_vars, read here too; the settings overlay (the role's default)
is what makes them deployable. The tests run in order: the later ones deploy new releases.
"""

import json
import re
import shlex
import time
import uuid
from pathlib import Path

import pytest
import requests
import testinfra
import yaml

from conftest import REPO, playreport, run_play, ssh_inventory

SCENARIO = Path(__file__).resolve().parent.parent
PROJECTS = REPO / "tests" / "output" / "projects"
MOLECULE = yaml.safe_load((SCENARIO / "molecule.yml").read_text().replace("${MOLECULE_PROJECT_DIRECTORY}", str(REPO)))
HOST_VARS = MOLECULE["provisioner"]["inventory"]["host_vars"]
SSH_PORTS = {"dja-startproject": 2236, "dja-wagtail": 2237, "dja-press": 2239}
SITES = {"dja-startproject": "http://127.0.0.1:18086", "dja-wagtail": "http://127.0.0.1:18087",
         "dja-press": "http://127.0.0.1:18088"}
# The hard-coded SECRET_KEY of each generated project (the file that holds it).
KEY_FILES = {"dja-startproject": PROJECTS / "shop" / "shop" / "settings.py",
             "dja-wagtail": PROJECTS / "mysite" / "mysite" / "settings" / "dev.py",
             "dja-press": PROJECTS / "press" / "press" / "settings.py"}
IMMUTABLE = "public, max-age=31536000, immutable"
CONFIGURE = REPO / "playbooks" / "configure.yml"
MANAGE = "/srv/django/bin/manage"
ADMIN_PASSWORD = "projects-admin-" + uuid.uuid4().hex[:12]
# A user of this run's own (a verify run again on the same containers finds the last one's).
ADMIN_USER = "admin" + uuid.uuid4().hex[:6]


def deploy(name, extra_vars=None, json_report=False):
    """playbooks/configure.yml on one host with its molecule host_vars (plus extra_vars)."""
    group_vars = {k: v for k, v in HOST_VARS[name].items() if not k.startswith("ansible_")}
    inventory = ssh_inventory(f"projects-{name}", {name: SSH_PORTS[name]}, "django_web", group_vars)
    return run_play(name, CONFIGURE, extra_vars, inventory=inventory, json_report=json_report)


def settings_value(host, expression):
    """A value of the live deployment's settings, read by Django itself on the host."""
    code = f"from django.conf import settings; import json; print(json.dumps({expression}, default=str))"
    cmd = host.run(f"{MANAGE} shell -c {shlex.quote(code)}")
    assert cmd.rc == 0, cmd.stderr
    return json.loads(cmd.stdout.strip().splitlines()[-1])


def served_release(site, path="/admin/login/"):
    return requests.get(f"{site}{path}", timeout=10).headers["X-Django-Release"].split("@")[0]


def admin_session(site, login_path, username=ADMIN_USER):
    """A logged-in session through nginx (the CSRF token and cookie from the login page)."""
    session = requests.Session()
    page = session.get(f"{site}{login_path}", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(f"{site}{login_path}", data={"csrfmiddlewaretoken": token, "username": username,
                                                     "password": ADMIN_PASSWORD},
                        headers={"Referer": f"{site}{login_path}"}, timeout=10, allow_redirects=False)
    assert done.status_code == 302, f"login refused ({done.status_code}): {done.text[:300]}"
    return session


def csrf_token(session, url):
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def upload(host, session, form_url, fields, file_field, media_dir):
    """Upload a file of this run's own through an admin form; return its /media/ URL (checked to
    serve it through nginx) and its content."""
    site = form_url.split("/admin/")[0]
    token = csrf_token(session, form_url)
    body = f"upload {uuid.uuid4().hex}\n"
    saved = session.post(form_url, data={"csrfmiddlewaretoken": token, **fields},
                         files={file_field: (f"upload-{ADMIN_USER}.txt", body, "text/plain")},
                         headers={"Referer": form_url}, timeout=10, allow_redirects=False)
    assert saved.status_code == 302, saved.text[:500]
    stored = [n for n in host.run(f"ls /srv/django/media/{media_dir}/").stdout.split() if ADMIN_USER in n]
    assert len(stored) == 1, stored
    media = f"{site}/media/{media_dir}/{stored[0]}"
    assert requests.get(media, timeout=10).text == body, "the upload served by nginx"
    return media, body


def new_code(name):
    """A new release of the project: a file added at its top (nothing of theirs changed)."""
    source = Path(HOST_VARS[name]["django_app_source_path"])
    (source / "RELEASE").write_text(uuid.uuid4().hex + "\n")


# GET /admin/login/ on the live gunicorn socket with a given Host; prints the status.
ASK_SOCKET = """
import http.client, socket
class Unix(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect("/run/django/gunicorn.sock")
connection = Unix("localhost", timeout=10)
connection.request("GET", "/admin/login/", headers={{"Host": "{host}", "X-Forwarded-Proto": "http"}})
print(connection.getresponse().status)
"""


@pytest.mark.parametrize("name", sorted(SITES))
def test_pages_static_files_debug_off_and_unknown_hosts_refused(name):
    site = SITES[name]
    login = requests.get(f"{site}/admin/login/", timeout=10)
    assert login.status_code == 200 and 'name="csrfmiddlewaretoken"' in login.text
    assert "X-Django-Release" in login.headers, "answered by the deployed release through nginx"
    if name == "dja-wagtail":
        home = requests.get(f"{site}/", timeout=10)
        assert home.status_code == 200 and "<html" in home.text.lower(), "the home page the migration created"
        css = re.search(r'href="(/static/css/welcome_page\.[0-9a-f]{12}\.css)"', home.text)
        assert css, "the manifest's hashed name (production.py: ManifestStaticFilesStorage)"
        static = requests.get(f"{site}{css.group(1)}", timeout=10)
        assert static.headers["Cache-Control"] == IMMUTABLE
    elif name == "dja-press":
        home = requests.get(f"{site}/", timeout=10)
        assert home.status_code == 200, home.text[-2000:]
        # Offline compression (the build hook `compress`): one hashed bundle per block, nothing else linked.
        css = re.search(r'href="(/static/CACHE/css/output\.[0-9a-f]{12}\.css)"', home.text)
        assert css and "/static/css/site" not in home.text, home.text
        static = requests.get(f"{site}{css.group(1)}", timeout=10)
        assert "#2a3b4c" in static.text and "letter-spacing" in static.text, "site.css and the inline style, bundled"
        assert static.headers["Cache-Control"] == IMMUTABLE
        js = re.search(r'src="(/static/CACHE/js/output\.[0-9a-f]{12}\.js)"', home.text)
        assert js and "pressReady" in requests.get(f"{site}{js.group(1)}", timeout=10).text, home.text
    else:
        # startproject's own static files have no hash in their name: cached briefly, not for good.
        static = requests.get(f"{site}/static/catalog/catalog.css", timeout=10)
        assert "#123456" in static.text, "the test app's static file, collected"
        assert static.headers["Cache-Control"] == "public, max-age=600"
        admin_css = requests.get(f"{site}/static/admin/css/base.css", timeout=10)
        assert admin_css.status_code == 200 and admin_css.headers["Cache-Control"] == "public, max-age=600"
    assert static.status_code == 200 and "X-Django-Release" not in static.headers, "static from nginx, not the app"
    missing = requests.get(f"{site}/no-such-page/", timeout=10)
    assert missing.status_code == 404
    for debug_mark in ("Using the URLconf", "Traceback", "DEBUG = True", "technical_404"):
        assert debug_mark not in missing.text, f"DEBUG is off: no debug page ({debug_mark!r})"
    # An unknown Host: nginx closes the connection unanswered (444); Django never sees it.
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{site}/admin/login/", headers={"Host": "evil.example"}, timeout=10)
    # Behind nginx, the project refuses it too (ALLOWED_HOSTS from the role), asked on gunicorn's socket.
    host = testinfra.get_host(f"podman://{name}")
    asked = host.run("python3 -c " + shlex.quote(ASK_SOCKET.format(host="evil.example")))
    assert asked.stdout.strip() == "400", asked.stdout + asked.stderr
    assert host.run("python3 -c " + shlex.quote(ASK_SOCKET.format(host="localhost"))).stdout.strip() == "200"


@pytest.mark.parametrize("name", sorted(SITES))
def test_settings_are_the_deployments_not_the_hard_coded_ones(name):
    host = testinfra.get_host(f"podman://{name}")
    hard_coded = re.search(r"""^SECRET_KEY = ['"]([^'"]+)['"]""", KEY_FILES[name].read_text(), re.M).group(1)
    assert len(hard_coded) > 30, "the generated project has a hard-coded key"
    key = settings_value(host, "settings.SECRET_KEY")
    assert key != hard_coded and len(key) >= 50
    assert key == host.file("/etc/django/secret_key").content_string, "the role's generated key"
    assert settings_value(host, "settings.DEBUG") is False
    assert settings_value(host, "settings.ALLOWED_HOSTS") == HOST_VARS[name]["django_app_allowed_hosts"]
    database = settings_value(host, "settings.DATABASES['default']")
    assert database["ENGINE"] == "django.db.backends.postgresql" and database["HOST"] == "127.0.0.1"
    assert settings_value(host, "settings.MEDIA_ROOT") == "/srv/django/media"
    static_root = settings_value(host, "settings.STATIC_ROOT")
    assert re.fullmatch(r"/srv/django/releases/[0-9a-f]{12}/\.static", static_root), static_root
    assert not host.run("ls /srv/django/releases/*/db.sqlite3").stdout, "no SQLite database in a release"


def test_startproject_hooks_shared_paths_and_an_upload_that_outlives_the_release():
    name, site = "dja-startproject", SITES["dja-startproject"]
    host = testinfra.get_host(f"podman://{name}")
    hooks = {
        # The admin the upload logs in as: created by the first deploy that has the hook, only then.
        "post_migrate": [{"command": f"createsuperuser --noinput --username {ADMIN_USER} --email admin@example.com",
                          "once": True}],
        "post_switch": ["check"],
    }
    extra = {"django_app_hooks": hooks, "django_app_shared_paths": ["var/cache"],
             "django_app_environment": {"DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}}
    first = deploy(name, extra)
    assert first.rc == 0, first.output[-3000:]
    assert "Run the hook manage.py createsuperuser" in first.output and "Run the hook manage.py check" in first.output

    session = admin_session(site, "/admin/login/")
    media, body = upload(host, session, f"{site}/admin/catalog/item/add/", {"name": "first item"}, "picture", "items")

    # The shared path: the app may write there, not elsewhere in its release.
    assert host.run("runuser -u django -- touch /srv/django/current/var/cache/kept").rc == 0
    refused = host.run("runuser -u django -- touch /srv/django/current/not-shared")
    assert refused.rc != 0 and "Permission denied" in refused.stderr
    assert host.file("/srv/django/current/var/cache").is_symlink

    before = served_release(site)
    new_code(name)
    second = deploy(name, extra)
    assert second.rc == 0, second.output[-3000:]
    assert served_release(site) != before, "a new release serves"
    assert "Run the hook manage.py createsuperuser" not in second.output, \
        "the once hook is recorded: not run again (it would fail: the user exists)"
    assert "Run the hook manage.py check" in second.output, "an every-deploy hook runs again"
    assert requests.get(media, timeout=10).text == body, "the upload outlives the release"
    assert host.file("/srv/django/current/var/cache/kept").exists, "the shared path too"
    assert "first item" in session.get(f"{site}/admin/catalog/item/", timeout=10).text


def test_press_static_sources_strict_debug_and_build_hooks():
    """The layout Django's how-to shows (STATICFILES_DIRS = [BASE_DIR / "static"]) beside the
    release's own .static; DEBUG as a strict parser reads it; the build hooks' output (compressed
    bundles, compiled translations) sealed as root's with the rest of the release."""
    name, site = "dja-press", SITES["dja-press"]
    host = testinfra.get_host(f"podman://{name}")
    release = host.file("/srv/django/current").linked_to
    environment = host.file("/etc/django/environment").content_string
    assert "\nDEBUG=True\n" not in environment and "\nDEBUG=False\n" in environment, "the form strict parsers accept"
    # The project's sources are untouched by collectstatic --clear; collected files are elsewhere.
    assert host.file(f"{release}/static/css/site.css").exists
    collected = host.run(f"ls {release}/.static/css").stdout
    assert re.search(r"site\.[0-9a-f]{12}\.css", collected), collected
    # compilemessages compiled the translation: the page is in French.
    assert "Bienvenue dans la salle de presse" in requests.get(f"{site}/", timeout=10).text
    for path in (f"{release}/locale/fr/LC_MESSAGES/django.mo", f"{release}/locale/fr/LC_MESSAGES",
                 f"{release}/.static/CACHE/manifest.json", f"{release}/.static/CACHE"):
        assert host.file(path).user == "root", f"{path}: sealed, root's"
    # The app cannot change the sealed release: not its translations, not what nginx serves.
    for path in (f"{release}/locale/fr/LC_MESSAGES/x", f"{release}/.static/CACHE/x", f"{release}/x"):
        refused = host.run(f"runuser -u django -- touch {path}")
        assert refused.rc != 0 and "Permission denied" in refused.stderr, path


def test_a_build_hook_that_writes_the_code_stops_the_deploy():
    """A build hook runs as the app user: it may write static and locale files, not the code."""
    name, site = "dja-press", SITES["dja-press"]
    before = served_release(site, "/")
    new_code(name)
    tamper = "shell -c \"open('press/settings.py', 'a').write('# changed by a build hook')\""
    result = deploy(name, {"django_app_hooks": {"build": ["compress", tamper]}}, json_report=True)
    assert result.rc != 0
    failures = result.failures()
    assert len(failures) == 1 and "failed the build hook 'shell -c" in failures[0], failures
    assert "Permission denied" in failures[0] and "keeps serving" in failures[0], failures
    assert served_release(site, "/") == before, "nothing switched"
    host = testinfra.get_host(f"podman://{name}")
    assert host.run("grep -rl 'changed by a build hook' /srv/django/releases").rc != 0, "no release changed"


def test_static_root_inside_a_static_source_stops_the_first_gate():
    """The settings overlay refuses STATIC_ROOT inside one of STATICFILES_DIRS (here: every release)."""
    name, site = "dja-press", SITES["dja-press"]
    before = served_release(site, "/")
    new_code(name)
    result = deploy(name, {"django_app_settings_overrides": {"STATICFILES_DIRS": ["/srv/django/releases"]}},
                    json_report=True)
    assert result.rc != 0
    failures = result.failures()
    assert len(failures) == 1 and "failed check: " in failures[0], failures
    assert "ImproperlyConfigured: STATIC_ROOT (/srv/django/releases/" in failures[0], failures
    assert "overlaps STATICFILES_DIRS entry /srv/django/releases" in failures[0], failures
    assert served_release(site, "/") == before, "nothing switched"


def test_wagtail_document_upload_outlives_a_release():
    name, site = "dja-wagtail", SITES["dja-wagtail"]
    host = testinfra.get_host(f"podman://{name}")
    made = host.run(f"DJANGO_SUPERUSER_PASSWORD={ADMIN_PASSWORD} {MANAGE} createsuperuser --noinput "
                    f"--username {ADMIN_USER} --email admin@example.com")
    assert made.rc == 0, made.stderr
    session = admin_session(site, "/admin/login/")
    media, body = upload(host, session, f"{site}/admin/documents/add/", {"title": "a document", "collection": "1"},
                         "file", "documents")

    before = served_release(site, "/")
    new_code(name)
    result = deploy(name)
    assert result.rc == 0, result.output[-3000:]
    assert served_release(site, "/") != before
    assert requests.get(media, timeout=10).text == body, "the upload outlives the release"


WORKERS = {"django_app_programs": [{"name": "echo", "command": "python -m http.server 8099 --bind 127.0.0.1",
                                    "stopwaitsecs": 10}],
           "django_app_timers": [{"name": "check", "command": "check --deploy", "on_calendar": "*-*-* 03:30:00"}]}


def program(host, name="django-program-echo"):
    """(state, pid, user) of a django_app_programs program, from supervisor and ps."""
    status = host.run(f"supervisorctl status {name}").stdout.split()
    assert len(status) >= 2, status
    if status[1] != "RUNNING":
        return status[1], None, None
    pid = int(status[3].rstrip(","))
    user = host.run(f"ps -o user= -p {pid}").stdout.strip()
    return status[1], pid, user


def served_by_program(host, path="RELEASE"):
    """A file of the release the program runs in (it serves its working directory)."""
    code = f"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8099/{path}').read().decode(), end='')"
    fetched = host.run(f"python3 -c {shlex.quote(code)}")
    assert fetched.rc == 0, fetched.stderr
    return fetched.stdout


def release_marker(name):
    return (Path(HOST_VARS[name]["django_app_source_path"]) / "RELEASE").read_text()


def test_workers_and_timers_run_the_live_release():
    name, site = "dja-startproject", SITES["dja-startproject"]
    host = testinfra.get_host(f"podman://{name}")
    first = deploy(name, WORKERS)
    assert first.rc == 0, first.output[-3000:]
    state, pid, user = program(host)
    live = served_release(site)
    assert (state, user) == ("RUNNING", "django"), (state, user)
    assert served_by_program(host) == release_marker(name), "the program runs in the live release"

    unit = "django-timer-check"
    assert host.run(f"systemctl is-enabled {unit}.timer").stdout.strip() == "enabled"
    assert host.run(f"systemctl is-active {unit}.timer").stdout.strip() == "active"
    assert "03:30:00" in host.run(f"systemctl show -P TimersCalendar {unit}.timer").stdout
    ran = host.run(f"systemctl start {unit}.service")
    assert ran.rc == 0, ran.stderr
    journal = host.run(f"journalctl -u {unit}.service --no-pager -o cat").stdout
    assert "System check identified" in journal, journal[-1000:]

    new_code(name)
    second = deploy(name, WORKERS)
    assert second.rc == 0, second.output[-3000:]
    state, pid_after, _user = program(host)
    assert served_release(site) != live
    assert state == "RUNNING" and pid_after != pid, "restarted when the release went live"
    assert served_by_program(host) == release_marker(name), "on the new release"
    again = deploy(name, WORKERS)
    assert playreport.recap_sum(again.output, "changed") == 0, again.output[-3000:]
    assert program(host)[1] == pid_after, "an unchanged run leaves the program alone"

    bad = deploy(name, {"django_app_timers": [{"name": "check", "command": "check", "on_calendar": "every tuesday-ish"}]},
                 json_report=True)
    assert bad.rc != 0
    assert any("django_app_timers: timer check has an on_calendar systemd cannot read" in m for m in bad.failures()), \
        bad.failures()


def test_a_failing_hook_stops_the_deploy_before_the_switch():
    name, site = "dja-startproject", SITES["dja-startproject"]
    before = served_release(site)
    new_code(name)
    result = deploy(name, {"django_app_hooks": {"pre_migrate": ["no_such_command"]}}, json_report=True)
    assert result.rc != 0
    failures = result.failures()
    assert len(failures) == 1 and "failed the pre_migrate hook 'no_such_command'" in failures[0], failures
    assert "Unknown command" in failures[0] and "keeps serving" in failures[0], failures
    assert served_release(site) == before, "nothing switched"


def test_the_next_deploys_go_through_and_a_second_run_changes_nothing():
    # Seconds of each run, for the record (tests/output/projects-times.json; not asserted).
    times = {}
    for name in sorted(SITES):
        started = time.monotonic()
        result = deploy(name)
        deployed = time.monotonic()
        assert result.rc == 0, result.output[-3000:]
        again = deploy(name)
        times[name] = {"code deploy": round(deployed - started, 1), "no-op": round(time.monotonic() - deployed, 1)}
        assert again.rc == 0, again.output[-3000:]
        assert playreport.recap_sum(again.output, "changed") == 0, again.output[-3000:]
    (REPO / "tests" / "output" / "projects-times.json").write_text(json.dumps(times, indent=2) + "\n")
    # The workers and timers of the startproject host are no longer listed: gone.
    host = testinfra.get_host("podman://dja-startproject")
    assert not host.file("/etc/supervisor/conf.d/django-program-echo.conf").exists
    # (the bracket keeps pgrep from finding the shell that runs it)
    assert host.run("pgrep -f 'http[.]server 8099'").rc != 0, "the program stopped"
    assert not host.file("/etc/systemd/system/django-timer-check.timer").exists
    assert not host.file("/etc/systemd/system/django-timer-check.service").exists
    assert host.run("systemctl is-active django-timer-check.timer").stdout.strip() != "active"

"""single_host: supervisor, nginx_proxy, postgresql and django_app serve the demo app."""

import json
import re
import shlex
import subprocess
import time

import pytest
import requests

from conftest import REPO, playreport, run_play, write_inventory

import siteprobe  # noqa: E402  (tests/lib, put on the path by conftest)

HOST = "dja-single"
SITE = "http://127.0.0.1:18080"
GROUP_VARS = {
    "django_app_source_path": str(REPO / "examples" / "demo_app"),
    "django_app_allowed_hosts": ["localhost", "127.0.0.1"],
    "django_app_settings_module": "demo.settings", "django_app_wsgi_module": "demo.wsgi:application",
    "django_app_csrf_trusted_origins": ["http://127.0.0.1:18080"],
    "django_app_gunicorn_access_log": True,  # as in molecule.yml
}
CONFIGURE = REPO / "playbooks" / "configure.yml"


def configure(extra_vars=None, verbosity=0, json_report=False, cli=()):
    inventory = write_inventory(HOST, "django_web", GROUP_VARS)
    return run_play(HOST, CONFIGURE, extra_vars, verbosity=verbosity, inventory=inventory,
                    json_report=json_report, cli=cli)


# Lists every regular file under the roots that others may read and that holds one of the
# values given on stdin (one per line). Exit 0 with a JSON list; any error is a non-zero exit.
FIND_VALUES = r"""
import json, os, stat, sys
values = [v.encode() for v in sys.stdin.read().split()]
found = []
for root in sys.argv[1:]:
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode) and mode & stat.S_IROTH:
                with open(path, "rb") as handle:
                    data = handle.read()
                if any(v in data for v in values):
                    found.append(path)
print(json.dumps(found))
"""


def world_readable_files_holding(host, values, roots=("/etc", "/srv", "/run/django")):
    values = [v for v in values if v]
    assert values and all(len(v) >= 16 for v in values), "the secrets to look for are real"
    cmd = host.run(f"printf '%s\\n' {' '.join(shlex.quote(v) for v in values)} | "
                   f"python3 -c {shlex.quote(FIND_VALUES)} {' '.join(roots)}")
    assert cmd.rc == 0, cmd.stderr
    return json.loads(cmd.stdout)


def wait_healthy(seconds):
    """Seconds until /healthz answers 200, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if requests.get(f"{SITE}/healthz", timeout=2).status_code == 200:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return None


@pytest.mark.parametrize("package", ["nginx", "supervisor", "postgresql"])
def test_services_installed_enabled_running(host, package):
    assert host.package(package).is_installed
    assert host.service(package).is_enabled
    assert host.service(package).is_running


def live_slot(host):
    """The slot (blue or green) whose deployment serves."""
    return host.file("/etc/django/slots/live").linked_to.rsplit("/", 1)[1]


def test_listening_sockets(host):
    assert host.socket("tcp://0.0.0.0:80").is_listening
    slot = live_slot(host)
    assert host.socket(f"unix:///run/django/gunicorn-{slot}.sock").is_listening
    assert host.file("/run/django/gunicorn.sock").linked_to == f"/run/django/gunicorn-{slot}.sock"
    pg = [s for s in host.socket.get_listening_sockets() if s.endswith(":5432")]
    assert pg and all("127.0.0.1" in s or "::1" in s for s in pg), pg


def test_owners_and_modes(host):
    slot = live_slot(host)
    expected = {
        f"/etc/django/slots/{slot}/environment": ("root", "django", 0o640),
        "/etc/django/secret_key": ("root", "django", 0o640),
        f"/etc/django/slots/{slot}/gunicorn.conf.py": ("root", "django", 0o640),
        f"/etc/supervisor/conf.d/django-gunicorn-{slot}.conf": ("root", "root", 0o600),
        "/etc/django_aws_local_db_password": ("root", "root", 0o600),
        "/srv/django/static": ("root", "www-data", 0o2750),
        "/run/django": ("django", "www-data", 0o750),
        "/srv/django/bin/manage": ("root", "django", 0o750),
    }
    for path, (user, group, mode) in expected.items():
        f = host.file(path)
        assert (f.user, f.group, f.mode) == (user, group, mode), path
    assert host.user("django").shell == "/usr/sbin/nologin"
    assert host.file("/srv/django/current").is_symlink
    assert host.file("/srv/django/current/manage.py").user == "root"


def test_no_secret_is_world_readable(host):
    secret = host.file("/etc/django/secret_key").content_string.strip()
    db_password = host.file("/etc/django_aws_local_db_password").content_string.strip()
    assert len(secret) == 64
    # The values are in use: the app's environment carries them (healthz proves the password).
    environment = host.file("/etc/django/environment").content_string
    assert f"SECRET_KEY={shlex.quote(secret)}" in environment.splitlines()
    assert db_password in environment
    assert world_readable_files_holding(host, [secret, db_password]) == []
    # The search finds what it looks for: a world-readable copy is reported.
    host.run(f"install -m 0644 /etc/django/secret_key /etc/probe-{HOST}")
    try:
        assert world_readable_files_holding(host, [secret]) == [f"/etc/probe-{HOST}"]
    finally:
        host.run(f"rm -f /etc/probe-{HOST}")


def test_healthz():
    siteprobe.health(SITE)


def test_row_created_through_the_page_and_read_back():
    # A browser sends Origin on POST; Django checks it against the Host nginx passes on.
    siteprobe.row_round_trip(SITE, "molecule row")
    forged = requests.post(f"{SITE}/", data={"text": "forged"}, timeout=5)
    assert forged.status_code == 403


def test_static_css_served_by_nginx_with_cache_and_gzip(host):
    page = requests.get(f"{SITE}/", timeout=5).text
    href = re.search(r'href="(/static/notes/site\.[0-9a-f]{12}\.css)"', page).group(1)
    response = requests.get(f"{SITE}{href}", headers={"Accept-Encoding": "gzip"}, timeout=5)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert "--accent" in response.text
    assert host.file(f"/srv/django/static/{href[len('/static/'):]}.gz").exists, "precompressed"
    access_log = host.file("/var/log/django/gunicorn-access.log").content_string
    assert "/healthz" in access_log and href not in access_log, "gunicorn never saw the CSS"


def gunicorn_master(host):
    """The running master's pid (supervisorctl says 0 for a stopped program)."""
    pid = host.run(f"supervisorctl pid django-gunicorn-{live_slot(host)}").stdout.strip()
    assert pid.isdigit() and int(pid) > 0, f"no running gunicorn master: {pid!r}"
    return int(pid)


def test_gunicorn_master_sigkill_recovers_within_5s(host):
    master = gunicorn_master(host)
    assert host.run(f"kill -KILL {master}").rc == 0
    took = wait_healthy(5)
    assert took is not None, "site did not come back within 5 s"
    new_master = gunicorn_master(host)
    assert new_master != master
    assert not host.file(f"/proc/{master}").exists, "the killed master is gone"
    assert "gunicorn" in host.run(f"tr '\\0' ' ' < /proc/{new_master}/cmdline").stdout


def test_invalid_nginx_setting_refused_and_previous_config_kept(host):
    site = host.file("/etc/nginx/sites-available/django.conf").content_string
    result = configure({"nginx_proxy_extra_directives": ["gzip_broken_directive on;"]}, json_report=True)
    assert result.rc != 0
    # nginx's own verdict (nginx -t on the candidate), not our text echoed back.
    failed = " ".join(f"{r.get('msg', '')} {r.get('stderr', '')}" for r in playreport.failed_results(result.report))
    assert re.search(r'\[emerg\] \d+#\d+: unknown directive "gzip_broken_directive" in \S+:\d+', failed), failed
    assert host.file("/etc/nginx/sites-available/django.conf").content_string == site
    assert requests.get(f"{SITE}/healthz", timeout=5).status_code == 200


def test_secrets_never_in_verbose_output(host):
    secret = host.file("/etc/django/secret_key").content_string.strip()
    db_password = host.file("/etc/django_aws_local_db_password").content_string.strip()
    result = configure(verbosity=3)
    assert result.rc == 0, result.output[-3000:]
    assert result.recap("changed") == 0
    assert secret not in result.output
    assert db_password not in result.output


def test_site_comes_back_after_container_restart():
    subprocess.run(["podman", "restart", "--time", "20", HOST], check=True, capture_output=True)
    assert wait_healthy(90) is not None, "site did not come back after a restart"
    assert requests.get(f"{SITE}/", timeout=5).status_code == 200


def test_check_mode_on_the_converged_host_changes_nothing(host):
    """configure.yml --check --diff after converge: completes, nothing would change, nothing did."""
    before = host.file("/srv/django/current").linked_to
    result = configure(cli=["--check", "--diff"])
    assert result.rc == 0, result.output[-3000:]
    assert result.recap("changed") == 0 and result.recap("failed") == 0, result.output[-3000:]
    assert host.file("/srv/django/current").linked_to == before

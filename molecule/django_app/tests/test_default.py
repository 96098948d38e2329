"""django_app: the release lifecycle. Each deploy builds beside the live release, passes its gates,
switches only when proven, and rolls back by itself; what serves is read over HTTP (the
X-Django-Release header: <release>@<slot>) and what happened from the host's history.json.

Deploys reach the hosts over SSH (conftest.ssh_inventory): dja-django (with the database) and
dja-django-2. The tests run in order and build on each other: each starts from what serves.
"""

import base64
import json
import re
import shlex
import shutil
import subprocess
import tempfile
import textwrap
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from conftest import REPO, assert_refused, playreport, role_play, run_play, ssh_inventory

HOST, HOST2 = "dja-django", "dja-django-2"
SITES = {HOST: "http://127.0.0.1:18082", HOST2: "http://127.0.0.1:18083"}
SSH_PORTS = {HOST: 2232, HOST2: 2233}
SITE = SITES[HOST]
DEMO = REPO / "examples" / "demo_app"
VARS = yaml.safe_load((Path(__file__).parent.parent / "vars.yml").read_text())
KEY = REPO / "tests" / "output" / "molecule-ssh" / "id_ed25519"
APP_VARS = {k: v for k, v in VARS.items() if k.startswith("django_app_")}
APP_VARS["django_app_source_path"] = str(DEMO)
# A failing health gate gives up after this many seconds (30 by default): enough for gunicorn to boot here.
APP_VARS["django_app_healthcheck_retries"] = 12


def inventory(hosts=(HOST,)):
    return ssh_inventory("django_app", {h: SSH_PORTS[h] for h in hosts}, "django_web", {}, KEY)


def deploy(source=DEMO, tasks_from=None, json_report=False, verbosity=0, **overrides):
    """The role on dja-django alone (main, or another entry point), over SSH."""
    variables = {**APP_VARS, "django_app_source_path": str(source), **overrides}
    return run_play(HOST, role_play("django_app", variables, tasks_from=tasks_from), inventory=inventory(),
                    json_report=json_report, verbosity=verbosity)


def configure(source, hosts=(HOST, HOST2), **overrides):
    """playbooks/configure.yml on both hosts: build and gates everywhere, migrations once, then
    the switch one host at a time."""
    variables = {**APP_VARS, "django_app_source_path": str(source), **overrides}
    return run_play(HOST, REPO / "playbooks" / "configure.yml", variables, inventory=inventory(hosts))


def sh(host, command):
    return subprocess.run(["podman", "exec", host, "sh", "-c", command], capture_output=True, text=True, check=True).stdout


def served(host=HOST):
    """(release, slot) answering /healthz through nginx."""
    response = requests.get(f"{SITES[host]}/healthz", timeout=5)
    assert response.status_code == 200, response.text[:300]
    release, slot = response.headers["X-Django-Release"].split("@")
    return release, slot


def history(host=HOST):
    return json.loads(sh(host, "cat /srv/django/history.json"))


def program_states(host=HOST):
    """{program: state} of the two slots."""
    out = subprocess.run(["podman", "exec", host, "supervisorctl", "status"], capture_output=True, text=True, check=False).stdout
    return {line.split()[0]: line.split()[1] for line in out.splitlines() if "-gunicorn-" in line}


def the_failure(result):
    """The one fatal message of a failed deploy (one line), from the default callback."""
    assert result.rc != 0, result.output[-2000:]
    fatal = playreport.fatal_messages(result.output)
    assert len(fatal) == 1, fatal
    message = fatal[0][1]
    assert "\n" not in message.strip(), message
    return message


def variant(title, settings="", views=None, migration=None):
    """A copy of the demo app whose page title is `title`, with lines added to its settings, its
    health view's success replaced by `views`, and a migration 0002 of `migration`'s source."""
    tmp = Path(tempfile.mkdtemp(prefix="demo-variant-"))
    app = tmp / "app"
    shutil.copytree(DEMO, app, ignore=shutil.ignore_patterns("__pycache__", "staticfiles"))
    page = app / "notes" / "templates" / "notes" / "index.html"
    page.write_text(page.read_text().replace("<h1>Notes</h1>", f"<h1>{title}</h1>"))
    if settings:
        with open(app / "demo" / "settings.py", "a", encoding="utf-8") as handle:
            handle.write("\n" + settings + "\n")
    if views:
        path = app / "notes" / "views.py"
        path.write_text(path.read_text().replace('return JsonResponse({"status": "ok", "database": "ok"})', views))
    if migration:
        (app / "notes" / "migrations" / "0002_variant.py").write_text(textwrap.dedent(migration))
    return app


UNHEALTHY = 'return JsonResponse({"status": "broken on purpose"}, status=500)'
MIGRATION_HEAD = """\
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("notes", "0001_initial")]
"""


IRREVERSIBLE = MIGRATION_HEAD + """
        operations = [migrations.RunPython(lambda apps, schema_editor: None)]
    """


def psql(query):
    return sh(HOST, f"runuser -u postgres -- psql -At demo -c {shlex.quote(query)}").split()


def applied_migrations(app="notes"):
    """What the database records as applied (the live release may not know a failed one's)."""
    return psql(f"select name from django_migrations where app = '{app}' order by id")


# --- what converge left ---------------------------------------------------------------------

def test_site_served_by_a_proven_release():
    release, slot = served()
    assert "<h1>Notes</h1>" in requests.get(f"{SITE}/", timeout=5).text
    live = history()[-1]
    assert (live["release"], live["slot"], live["result"]) == (release, slot, "live")
    assert "notes.0001_initial" in live["migrations_applied"] or len(history()) > 1
    assert program_states() == {f"django-gunicorn-{slot}": "RUNNING"}
    assert served(HOST2)[0] == release, "both hosts run the same release"


def test_gunicorn_defaults(host):
    slot = served()[1]
    conf = host.file(f"/etc/django/slots/{slot}/gunicorn.conf.py").content_string
    assert "workers = multiprocessing.cpu_count() + 1" in conf
    assert "max_requests = 20000" in conf and "max_requests_jitter = 2000" in conf
    assert "accesslog" not in conf, "nginx logs the requests; gunicorn's access log is off by default"
    master = int(host.run(f"supervisorctl pid django-gunicorn-{slot}").stdout)
    workers = host.run(f"pgrep -P {master}").stdout.split()
    cores = int(host.run("python3 -c 'import os; print(os.cpu_count())'").stdout)
    assert len(workers) == cores + 1
    assert host.process.get(pid=master).user == "django"


# --- a good release, then each kind of bad one: the good one keeps serving -------------------

def test_good_release_is_built_beside_switched_to_and_the_old_slot_stopped(host):
    before, old_slot = served()
    venvs = host.run("ls /srv/django/venvs").stdout.split()
    result = deploy(variant("Release two"))
    assert result.rc == 0, result.output[-3000:]
    release, slot = served()
    assert release != before and slot != old_slot
    assert "<h1>Release two</h1>" in requests.get(f"{SITE}/", timeout=5).text
    assert program_states() == {f"django-gunicorn-{slot}": "RUNNING", f"django-gunicorn-{old_slot}": "STOPPED"}
    # Code only: the virtualenv of the release before is the one this release links (nothing installed).
    assert host.run("ls /srv/django/venvs").stdout.split() == venvs
    assert host.file(f"/srv/django/releases/{release}/.venv").linked_to == host.file(
        f"/srv/django/releases/{before}/.venv").linked_to
    assert host.file("/srv/django/current").linked_to == f"/srv/django/releases/{release}"
    assert (history()[-1]["release"], history()[-1]["result"], history()[-1]["previous"]) == (release, "live", before)
    # Both releases' static files are served: pages rendered by either find their CSS.
    for rel in (release, before):
        manifest = json.loads(host.file(f"/srv/django/releases/{rel}/.static/staticfiles.json").content_string)
        css = manifest["paths"]["notes/site.css"]
        assert requests.get(f"{SITE}/static/{css}", timeout=5).status_code == 200


# --- rollback ----------------------------------------------------------------------------------

def test_manual_rollback_to_the_previous_and_to_a_named_release():
    current = served()
    previous = history()[-1]["previous"]
    result = deploy(tasks_from="rollback")
    assert result.rc == 0, result.output[-3000:]
    assert served()[0] == previous and served()[1] != current[1]
    assert history()[-1]["result"] == "rolled back to"
    result = deploy(tasks_from="rollback", django_app_rollback_release=current[0])
    assert result.rc == 0, result.output[-3000:]
    assert served()[0] == current[0]
    result = deploy(tasks_from="rollback", django_app_rollback_release="0123456789ab", json_report=True)
    assert result.rc != 0 and "is not a complete release on this host" in result.failures()[0]
    assert served()[0] == current[0]


@pytest.mark.parametrize("name, app, step, words", [
    ("import error", lambda: variant("Import error", settings="import nosuchmodule_for_the_gate"),
     "check", "ModuleNotFoundError: No module named 'nosuchmodule_for_the_gate'"),
    ("check --deploy warning", lambda: variant("Warning", settings="SECURE_CONTENT_TYPE_NOSNIFF = False"),
     "check --deploy", "security.W006"),
    ("broken migration", lambda: variant("Broken migration", migration=MIGRATION_HEAD + """
        operations = [migrations.RunSQL("SELECT * FROM no_such_table_for_the_gate", migrations.RunSQL.noop)]
     """), "migrate", 'relation "no_such_table_for_the_gate" does not exist'),
    ("fails /healthz", lambda: variant("Unhealthy", views=UNHEALTHY),
     "its health check on its own socket", "HTTP 500 from"),
])
def test_bad_release_stops_with_one_line_and_the_live_one_serves(name, app, step, words):
    live = served()
    states = program_states()
    result = deploy(app())
    message = the_failure(result)
    assert message.startswith("django_app: release ") and f" failed {step}: " in message, message
    assert words in message, message
    serving = ("rolled back: release " if step.startswith("its health") else "release ") + live[0]
    assert message.endswith(serving + (" serves" if step.startswith("its health") else " keeps serving")), message
    assert served() == live, f"{name}: the live release still answers"
    assert program_states() == states, "the failed slot is stopped again"
    assert history()[-1]["result"] == f"failed: {step}"
    assert history()[-1]["release"] != live[0]
    if step == "migrate":
        assert applied_migrations() == ["0001_initial"]


EXTRA_HOSTS = 'ALLOWED_HOSTS += [h for h in os.environ.get("EXTRA_ALLOWED_HOSTS", "").split(",") if h]'


def test_rollback_after_a_failed_deploy_returns_to_the_release_served_before():
    """The bad releases above left a failed deployment in the idle slot: rollback.yml must not
    start that one, but the release that served before the live one (the history's)."""
    live = served()
    assert history()[-1]["result"].startswith("failed: "), "the idle slot holds a failed deployment"
    serving = [e for e in history() if e["result"] in ("live", "rolled back to")]
    before = next(e["release"] for e in reversed(serving) if e["deployment"] != serving[-1]["deployment"])
    assert before != live[0]
    result = deploy(tasks_from="rollback")
    assert result.rc == 0, result.output[-3000:]
    assert served() == (before, "blue" if live[1] == "green" else "green")
    assert history()[-1]["result"] == "rolled back to" and history()[-1]["release"] == before


def test_check_deploy_warning_accepted_when_silenced():
    """A warning listed in django_app_check_deploy_silenced passes the gate. (The same deploy
    gives the app a host name through the environment, for the next test.)"""
    app = variant("Silenced", settings="SECURE_CONTENT_TYPE_NOSNIFF = False\n" + EXTRA_HOSTS)
    result = deploy(app, django_app_check_deploy_silenced=["security.W006"],
                    django_app_environment={"EXTRA_ALLOWED_HOSTS": "extra.example"})
    assert result.rc == 0, result.output[-3000:]
    assert "<h1>Silenced</h1>" in requests.get(f"{SITE}/", timeout=5).text
    assert requests.get(f"{SITE}/", headers={"Host": "extra.example"}, timeout=5).status_code == 200


# --- the environment is rebuilt, not added to ------------------------------------------------

def test_a_removed_environment_key_is_gone_from_the_workers():
    """The issue's case: a host name allowed through an environment variable, then the variable
    removed from the role's settings. Requests for that host are refused again (400): the key is
    gone from the workers, not kept from the deployment before."""
    app = variant("Silenced", settings="SECURE_CONTENT_TYPE_NOSNIFF = False\n" + EXTRA_HOSTS)
    result = deploy(app, django_app_check_deploy_silenced=["security.W006"])
    assert result.rc == 0, result.output[-3000:]
    assert requests.get(f"{SITE}/", headers={"Host": "extra.example"}, timeout=5).status_code == 400
    assert requests.get(f"{SITE}/", timeout=5).status_code == 200
    assert "EXTRA_ALLOWED_HOSTS" not in sh(HOST, "cat /etc/django/environment")


# --- maintenance -------------------------------------------------------------------------------

def maintenance(on):
    play = role_play("nginx_proxy", {"nginx_proxy_maintenance": on}, tasks_from="maintenance")
    return run_play(HOST, play, inventory=inventory())


def test_maintenance_on_and_off():
    page = requests.get(f"{SITE}/", timeout=5).text
    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    result = maintenance(True)
    assert result.rc == 0, result.output[-3000:]
    down = requests.get(f"{SITE}/", timeout=5)
    assert down.status_code == 503 and down.headers["Retry-After"] == "120" and "Down for maintenance" in down.text
    assert requests.post(f"{SITE}/admin/login/", timeout=5).status_code == 503
    assert requests.get(f"{SITE}/healthz", timeout=5).status_code == 200, "the health check passes through"
    assert requests.get(f"{SITE}{css}", timeout=5).status_code == 200, "static files are served"
    assert maintenance(False).rc == 0
    assert requests.get(f"{SITE}/", timeout=5).status_code == 200


# --- migrations on a failed release ------------------------------------------------------------

def test_failed_release_migrations_rolled_back_when_reversible():
    live = served()
    app = variant("Reversible", views=UNHEALTHY, migration=MIGRATION_HEAD + """
        operations = [migrations.AddField("note", "flag", models.BooleanField(null=True))]
    """)
    message = the_failure(deploy(app, django_app_rollback_migrations=True))
    assert "migrations rolled back (notes to 0001_initial)" in message, message
    assert served() == live
    assert applied_migrations() == ["0001_initial"]
    columns = psql("select column_name from information_schema.columns where table_name = 'notes_note'")
    assert "flag" not in columns


def test_failed_release_migrations_kept_when_irreversible():
    live = served()
    app = variant("Irreversible", views=UNHEALTHY, migration=IRREVERSIBLE)
    message = the_failure(deploy(app, django_app_rollback_migrations=True))
    assert "migrations kept (django_app_rollback_migrations: cannot undo notes.0002_variant: Raw Python operation)" in message
    assert served() == live
    assert applied_migrations() == ["0001_initial", "0002_variant"]
    assert history()[-1]["migrations_applied"] == ["notes.0002_variant"]


# --- many hosts: migrations once, then one host at a time --------------------------------------

def test_hosts_switch_one_at_a_time_after_migrations_ran_once():
    """configure.yml on both hosts, with a migration declared not backward-compatible: build and
    gates on both, maintenance on, the migration once, then one host after the other switched
    (and taken out of maintenance)."""
    app = variant("Both hosts", migration=IRREVERSIBLE)
    (app / "notes" / "migrations" / "0003_both.py").write_text(textwrap.dedent("""\
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [("notes", "0002_variant")]
            operations = [migrations.AddField("note", "tag", models.CharField(max_length=20, null=True))]
    """))
    result = configure(app, django_app_maintenance_during_migrate=True)
    assert result.rc == 0, result.output[-3000:]
    plain = playreport.plain(result.output)
    assert plain.count("PLAY [Switch the web hosts to the new release, batch by batch]") == 2, "one batch per host"
    migrate_blocks = re.findall(r"TASK \[django_aws.deploy.django_app : Apply migrations from the new release[^\n]*\n"
                                r"((?:(?!TASK \[)[^\n]*\n)*)", plain)
    applied = [block for block in migrate_blocks if "changed: [dja-django]" in block]
    assert len(applied) == 1, "applied once, on the first host"
    assert "changed: [dja-django-2]" not in applied[0] and "skipping: [dja-django-2]" in applied[0], \
        "not on the second host (same database)"
    for host in (HOST, HOST2):
        assert re.search(rf"TASK \[django_aws.deploy.nginx_proxy : Turn maintenance mode on\][^\n]*\n(?:(?!TASK \[)[^\n]*\n)*?changed: \[{host}\]",
                         plain), f"maintenance on for {host}"
        assert requests.get(f"{SITES[host]}/", timeout=5).status_code == 200, f"maintenance off again on {host}"
    assert applied_migrations() == ["0001_initial", "0002_variant", "0003_both"]
    releases = {served(h)[0] for h in (HOST, HOST2)}
    assert len(releases) == 1 and "<h1>Both hosts</h1>" in requests.get(f"{SITES[HOST2]}/", timeout=5).text


def test_both_hosts_of_the_site_share_one_secret_key():
    """One SECRET_KEY for the hosts of one database: a value signed on one host reads on the other."""
    assert sh(HOST, "cat /etc/django/secret_key") == sh(HOST2, "cat /etc/django/secret_key")
    sign = "from django.core import signing; print(signing.dumps('signed on the first host'))"
    signed = sh(HOST, f"/srv/django/bin/manage shell -c {shlex.quote(sign)}").strip().splitlines()[-1]
    read = f"from django.core import signing; print(signing.loads({signed!r}))"
    assert sh(HOST2, f"/srv/django/bin/manage shell -c {shlex.quote(read)}").strip().splitlines()[-1] == \
        "signed on the first host"


def test_a_failed_batch_stops_the_rollout_and_the_rest_keep_the_old_release():
    live = {h: served(h) for h in (HOST, HOST2)}
    entries = {h: len(history(h)) for h in (HOST, HOST2)}
    result = configure(variant("Unhealthy on both", views=UNHEALTHY))
    assert result.rc != 0
    assert {h: served(h) for h in (HOST, HOST2)} == live
    assert history(HOST)[-1]["result"] == "failed: its health check on its own socket"
    assert len(history(HOST2)) == entries[HOST2], "the second host was never switched"


# --- sources and secrets -------------------------------------------------------------------

# A git server over HTTP on the host's loopback that answers only with the right Basic credentials
# (git's dumb HTTP protocol: static files of a bare repository after `git update-server-info`).
GIT_TOKEN = "s3cret-token-" + uuid.uuid4().hex[:12]
GIT_SERVER = f"""
import base64, functools, http.server
wanted = "Basic " + base64.b64encode(b"deploy:{GIT_TOKEN}").decode()
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != wanted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.end_headers()
            return
        super().do_GET()
http.server.ThreadingHTTPServer(("127.0.0.1", 8765), functools.partial(Handler, directory="/opt")).serve_forever()
"""


def test_git_source_with_a_token_and_generated_secret_key(host):
    """A private repository over HTTPS with a token in its URL: fetched, and the token is in no
    output, file or record (only in git's environment while it fetches)."""
    secret = host.file("/etc/django/secret_key").content_string
    host.run("rm -rf /opt/demo.git /tmp/demo-src; pkill -f '[/]tmp/git_server.py'")
    assert host.run("apt-get install -y -q git").rc == 0
    setup = ("git init -q -b main /tmp/demo-src && cp -r /srv/django/current/. /tmp/demo-src/ "
             "&& cd /tmp/demo-src && rm -rf .release .venv .static "
             "&& sed -i 's|<h1>[^<]*</h1>|<h1>From git</h1>|' notes/templates/notes/index.html "
             "&& git add -A && git -c user.name=t -c user.email=t@t commit -qm demo "
             "&& git clone -q --bare /tmp/demo-src /opt/demo.git && git --git-dir=/opt/demo.git update-server-info")
    assert host.run(setup).rc == 0
    host.run(f"cat > /tmp/git_server.py <<'EOF'\n{GIT_SERVER}\nEOF")
    assert host.run("setsid python3 /tmp/git_server.py >/tmp/git_server.log 2>&1 </dev/null & "
                    "for i in $(seq 50); do python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", 8765))' "
                    "2>/dev/null && exit 0; sleep 0.1; done; exit 1").rc == 0
    public = "http://127.0.0.1:8765/demo.git"
    refused = host.run(f"GIT_TERMINAL_PROMPT=0 git ls-remote {public}")
    assert refused.rc != 0, "the server refuses a fetch without the token"

    try:
        # At -vvv: every command line the run sends to the host is in the output.
        result = deploy(django_app_source_type="git", django_app_git_repo=f"http://deploy:{GIT_TOKEN}@127.0.0.1:8765/demo.git",
                        django_app_git_version="main", verbosity=3)
    finally:
        host.run("pkill -f '[/]tmp/git_server.py'")
    assert result.rc == 0, result.output[-3000:]
    commit = host.run("git --git-dir=/opt/demo.git rev-parse main").stdout.strip()
    assert served()[0] == commit[:12]
    assert "<h1>From git</h1>" in requests.get(f"{SITE}/", timeout=5).text
    assert history()[-1]["source"]["commit"] == commit
    assert history()[-1]["source"]["repo"] == public, "recorded without the user-info"
    assert host.file("/srv/django/repo/config").contains(public), "the repository's config names the public URL"
    # The token, plain or as the header's base64, only in the root-only credentials file.
    basic = base64.b64encode(f"deploy:{GIT_TOKEN}".encode()).decode()
    for token in (GIT_TOKEN, basic):
        assert token not in result.output, "not in the run's output, not even at -vvv"
        assert token not in host.run("journalctl --no-pager -o cat").stdout, "not in the journal (sudo, commands)"
        leaked = host.run(f"grep -rlF {token} /srv/django /etc/django /var/log /root /tmp/demo-src 2>/dev/null")
        assert leaked.stdout.split() in ([], ["/etc/django/git-credentials"]), f"in no other file: {leaked.stdout}"
    credentials = host.file("/etc/django/git-credentials")
    assert (credentials.user, credentials.group, credentials.mode) == ("root", "root", 0o600)
    env = host.file("/etc/django/environment").content_string
    assert f"SECRET_KEY={secret.strip()}" in env.splitlines(), "the generated key, kept"


def test_old_releases_and_unused_virtualenvs_pruned(host):
    releases = host.run("ls /srv/django/releases").stdout.split()
    assert len(releases) <= 3, releases
    live, previous = served()[0], history()[-1]["previous"]
    assert live in releases and previous in releases
    linked = {host.file(f"/srv/django/releases/{r}/.venv").linked_to for r in releases}
    assert {f"/srv/django/venvs/{v}" for v in host.run("ls /srv/django/venvs").stdout.split()} == linked


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("overrides, variable, words", [
    ({"django_app_gunicorn_workers": "many"}, "django_app_gunicorn_workers", "unable to convert to int"),
    ({"django_app_source_type": "svn"}, "django_app_source_type", "must be one of: path, archive, git"),
    ({"django_app_database_url": None}, "django_app_database_url", "is required"),
    ({"django_app_source_path": "/nonexistent/app"}, "django_app_source_path", "does not exist"),
    ({"django_app_database_url": "mysql://u:p@h/d"}, "django_app_database_url", "postgres:// scheme"),
    ({"django_app_settings_module": None}, "django_app_settings_module", "missing required arguments"),
    ({"django_app_check_deploy_silenced": "security.W006"}, "django_app_check_deploy_silenced", "must be a list"),
    ({"django_app_rollback_release": "latest"}, "django_app_rollback_release", "must be a release id"),
])
def test_bad_input_fails_before_any_change(host, overrides, variable, words):
    variables = {k: v for k, v in {**APP_VARS, **overrides}.items() if v is not None}
    result = assert_refused(host, HOST, "django_app", variables, variable, words,
                            ["/etc/django", "/srv/django"], inventory=inventory())
    assert "django-app-molecule-pw" not in result.output

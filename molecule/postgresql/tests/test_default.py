"""postgresql role: a local server, one database, scram-sha-256, loopback only."""

import json

import pytest

from conftest import assert_refused, role_play, run_play

HOST = "dja-postgresql"
PSQL = "PGPASSWORD={pw} psql -h {addr} -U demo -d demo -tAc {sql!r}"


def psql(host, sql, pw="molecule-demo-password", addr="127.0.0.1"):
    return host.run(PSQL.format(pw=pw, addr=addr, sql=sql))


def test_installed_enabled_running(host):
    assert host.package("postgresql").is_installed
    assert host.service("postgresql").is_enabled
    assert host.service("postgresql").is_running


def test_listens_only_on_loopback(host):
    assert host.socket("tcp://127.0.0.1:5432").is_listening
    assert not host.socket("tcp://0.0.0.0:5432").is_listening
    listening = [s for s in host.socket.get_listening_sockets() if s.endswith(":5432")]
    assert listening and all("127.0.0.1" in s or "::1" in s for s in listening), listening


def test_owner_logs_in_with_password_and_owns_the_database(host):
    result = psql(host, "SELECT current_user || ' ' || pg_catalog.pg_get_userbyid(datdba) "
                        "FROM pg_database WHERE datname = 'demo'")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == "demo demo"
    assert psql(host, "CREATE TABLE t (id int); DROP TABLE t").rc == 0


def test_wrong_password_refused(host):
    result = psql(host, "SELECT 1", pw="wrong-password")
    assert result.rc != 0
    assert "password authentication failed" in result.stderr


def test_password_stored_as_scram(host):
    result = host.run("runuser -u postgres -- psql -tAc "
                      "\"SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'demo'\"")
    assert result.stdout.strip() == "SCRAM-SHA-256$"


def test_settings_applied(host):
    assert psql(host, "SHOW max_connections").stdout.strip() == "60"


def test_hba_rule(host):
    hba = host.run("ls /etc/postgresql/*/main/pg_hba.conf").stdout.strip()
    content = host.file(hba).content_string
    assert any(line.split()[:5] == ["host", "demo", "demo", "127.0.0.1/32", "scram-sha-256"]
               for line in content.splitlines() if line and not line.startswith("#"))


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("variables, variable, words", [
    ({"postgresql_db_password": "molecule-demo-password", "postgresql_port": "fivefour"},
     "postgresql_port", "unable to convert to int"),
    ({"postgresql_db_password": "molecule-demo-password",
      "postgresql_hba_entries": [{"contype": "host", "databases": "all", "users": "all",
                                  "method": "trust"}]}, "postgresql_hba_entries", "method must be one of"),
    ({"postgresql_db_password": "short"}, "postgresql_db_password", "at least 12 characters"),
    ({"postgresql_db_password_file": "pw.txt"}, "postgresql_db_password_file", "absolute path"),
    ({"postgresql_db_password": "molecule-demo-password",
      "postgresql_hba_entries": [{"contype": "tcp", "databases": "all", "users": "all"}]},
     "postgresql_hba_entries", "contype must be one of"),
])
def test_bad_input_fails_before_any_change(host, variables, variable, words):
    assert_refused(host, HOST, "postgresql", variables, variable, words, ["/etc/postgresql/*/main"])


def test_secret_not_in_verbose_output():
    result = run_play(HOST, role_play("postgresql", {
        "postgresql_db_name": "demo", "postgresql_db_owner": "demo",
        "postgresql_db_password": "molecule-demo-password",
        "postgresql_settings": {"max_connections": "60"}}), verbosity=3)
    assert result.rc == 0, result.output[-3000:]
    assert result.recap("changed") == 0
    assert "molecule-demo-password" not in result.output


def test_published_url_reaches_the_database_as_the_owner():
    """postgresql_database_url (the role's output) carries owner, password, port and name."""
    play = role_play("postgresql", {
        "postgresql_db_name": "demo", "postgresql_db_owner": "demo",
        "postgresql_db_password": "molecule-demo-password", "postgresql_settings": {"max_connections": "60"}})
    play = json.loads(play)
    play[0]["tasks"] += [
        {"name": "Use the published URL", "register": "used", "changed_when": False, "no_log": True,
         "ansible.builtin.command": {"argv": [
             "psql", "{{ postgresql_database_url }}", "-tAc",
             "SELECT current_user || ' ' || current_database() || ' ' || current_setting('port')"]}},
        {"name": "Show what it reached", "ansible.builtin.debug": {"msg": "reached {{ used.stdout }}"}},
    ]
    play = json.dumps(play)
    result = run_play(HOST, play)
    assert result.rc == 0, result.output[-3000:]
    assert "reached demo demo 5432" in result.output
    assert "molecule-demo-password" not in result.output

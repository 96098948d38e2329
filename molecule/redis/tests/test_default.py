"""redis role: Debian's server on the loopback interface, a password, a memory ceiling, and absent."""

import json
import shlex

import pytest

from conftest import assert_refused, playreport, role_play, run_play

HOST = "dja-redis"
PASSWORD_FILE = "/etc/django_aws_redis_password"


def password(host):
    return host.file(PASSWORD_FILE).content_string.strip()


def cli(host, args, pw=None):
    auth = f"REDISCLI_AUTH={pw} " if pw else ""
    return host.run(f"{auth}redis-cli -h 127.0.0.1 -p 6379 {args}")


def test_installed_enabled_running(host):
    assert host.package("redis-server").is_installed
    assert host.service("redis-server").is_enabled
    assert host.service("redis-server").is_running


def test_listens_only_on_loopback(host):
    listening = [s for s in host.socket.get_listening_sockets() if s.endswith(":6379")]
    assert listening and all("127.0.0.1" in s or "::1" in s for s in listening), listening


def test_generated_password_kept_private(host):
    kept = host.file(PASSWORD_FILE)
    assert (kept.user, kept.group, kept.mode) == ("root", "root", 0o600)
    assert len(password(host)) == 32


def test_password_required(host):
    assert "NOAUTH" in cli(host, "ping").stdout
    wrong = cli(host, "ping", pw="not-the-password-at-all")
    assert "WRONGPASS" in wrong.stderr and "PONG" not in wrong.stdout
    assert cli(host, "ping", pw=password(host)).stdout.strip() == "PONG"


def test_settings_file_private_and_included_once(host):
    dropin = host.file("/etc/redis/django_aws.conf")
    assert (dropin.user, dropin.group, dropin.mode) == ("root", "redis", 0o640)
    lines = host.file("/etc/redis/redis.conf").content_string.splitlines()
    assert lines.count("include /etc/redis/django_aws.conf") == 1
    assert lines[-1] == "include /etc/redis/django_aws.conf"


def test_memory_ceiling_and_policy_applied(host):
    pw = password(host)
    assert cli(host, "config get maxmemory", pw).stdout.split() == ["maxmemory", str(128 * 1024 * 1024)]
    assert cli(host, "config get maxmemory-policy", pw).stdout.split() == ["maxmemory-policy", "noeviction"]


# What a client (redis-py, kombu) does with the URL: AUTH with its password, SELECT its database.
CLIENT = r"""
import socket, sys, urllib.parse
url = urllib.parse.urlsplit(open("/root/redis_url").read().strip())
with socket.create_connection((url.hostname, url.port), timeout=5) as s:
    s.sendall(f"AUTH {urllib.parse.unquote(url.password)}\r\nSELECT {url.path[1:]}\r\nSET probe 1\r\nGET probe\r\n".encode())
    s.shutdown(socket.SHUT_WR)
    print(s.makefile().read().split())
"""


def test_published_url_reaches_the_server(host):
    url = host.file("/root/redis_url").content_string.strip()
    assert url == f"redis://:{password(host)}@127.0.0.1:6379/0"
    out = host.run("python3 -c " + shlex.quote(CLIENT))
    assert out.stdout.strip() == "['+OK', '+OK', '+OK', '$1', '1']", out.stdout + out.stderr


def test_checker_refuses_a_bad_file_and_passes_a_good_one(host):
    checker = "/usr/local/lib/django_aws_deploy/redis_check_config.sh"
    host.run("printf 'port 6390\\nmaxmemory lots\\n' > /tmp/bad.conf; printf 'port 6390\\nmaxmemory 1mb\\n' > /tmp/good.conf")
    bad = host.run(f"{checker} /tmp/bad.conf")
    assert bad.rc == 1 and "maxmemory" in bad.stderr, bad.stderr
    assert host.run(f"{checker} /tmp/good.conf").rc == 0
    assert host.run(f"{checker} /etc/redis/redis.conf").rc == 0


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("variables, variable, words", [
    ({"redis_port": 70000}, "redis_port", "port from 1 to 65535"),
    ({"redis_port": "six"}, "redis_port", "unable to convert to int"),
    ({"redis_password": "short"}, "redis_password", "at least 16"),
    ({"redis_password": "has a space in it, long enough"}, "redis_password", "at least 16"),
    ({"redis_password_file": "pw.txt"}, "redis_password_file", "absolute path"),
    ({"redis_maxmemory": "lots"}, "redis_maxmemory", "a size"),
    ({"redis_maxmemory_policy": "lru"}, "redis_maxmemory_policy", "must be one of"),
    ({"redis_db": 16}, "redis_db", "0 to 15"),
])
def test_bad_input_fails_before_any_change(host, variables, variable, words):
    assert_refused(host, HOST, "redis", variables, variable, words, ["/etc/redis", PASSWORD_FILE])


def test_secret_not_in_verbose_output(host):
    result = run_play(HOST, role_play("redis", {}), verbosity=3)
    assert result.rc == 0, result.output[-3000:]
    assert result.recap("changed") == 0
    assert password(host) not in result.output


def test_given_password_replaces_and_generated_comes_back(host):
    given = "given-password-0123456789"
    result = run_play(HOST, role_play("redis", {"redis_password": given}))
    assert result.rc == 0, result.output[-3000:]
    assert given not in result.output
    assert cli(host, "ping", pw=given).stdout.strip() == "PONG"
    assert "WRONGPASS" in cli(host, "ping", pw=password(host)).stderr
    result = run_play(HOST, role_play("redis", {}))
    assert result.rc == 0, result.output[-3000:]
    assert cli(host, "ping", pw=password(host)).stdout.strip() == "PONG"


def test_check_mode_on_the_configured_host_changes_nothing(host):  # host: keeps it before absent
    result = run_play(HOST, role_play("redis", {}), cli=["--check"])
    assert result.rc == 0, result.output[-3000:]
    assert result.recap("changed") == 0, playreport.plain(result.output)[-6000:]


@pytest.mark.parametrize("path", ["/etc/redis", "/etc/", "/"])
def test_absent_refuses_a_directory_as_the_password_file(host, path):
    result = run_play(HOST, role_play("redis", {"redis_password_file": path}, tasks_from="absent"), json_report=True)
    assert result.rc != 0
    messages = result.failures()
    assert messages and "redis_password_file" in messages[0] and ("directory" in messages[0] or "a file" in messages[0]), messages
    assert result.recap("changed") == 0
    assert host.package("redis-server").is_installed and host.file("/etc/redis/redis.conf").exists


def test_absent_removes_server_data_and_files_then_changes_nothing(host):
    play = json.loads(role_play("redis", {}, tasks_from="absent"))
    result = run_play(HOST, json.dumps(play))
    assert result.rc == 0, result.output[-3000:]
    assert not host.package("redis-server").is_installed
    for path in ("/etc/redis", "/var/lib/redis", PASSWORD_FILE, "/usr/local/lib/django_aws_deploy/redis_check_config.sh"):
        assert not host.file(path).exists, path
    assert not [s for s in host.socket.get_listening_sockets() if s.endswith(":6379")]
    again = run_play(HOST, json.dumps(play))
    assert again.rc == 0, again.output[-3000:]
    assert again.recap("changed") == 0

"""django_app's helpers on the host: the static publisher and the release's WSGI wrapper."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

FILES = Path(__file__).resolve().parents[3] / "roles" / "django_app" / "files"


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def publish(shared, *releases):
    proc = subprocess.run([sys.executable, str(FILES / "publish_static.py"), str(shared), *map(str, releases)],
                          capture_output=True, text=True, check=True)
    return proc.stdout.splitlines()


def test_publish_links_every_kept_release_and_the_newest_wins(tmp_path):
    old, new, shared = tmp_path / "r1" / "static", tmp_path / "r2" / "static", tmp_path / "shared"
    write(old, "notes/site.aaaa.css", "old css")
    write(old, "staticfiles.json", "old manifest")
    write(new, "notes/site.bbbb.css", "new css")
    write(new, "staticfiles.json", "new manifest")
    shared.mkdir()
    out = publish(shared, new, old)
    assert sorted(out) == ["added notes/site.aaaa.css", "added notes/site.bbbb.css", "added staticfiles.json"]
    assert (shared / "notes/site.aaaa.css").read_text() == "old css", "the previous release's pages still find theirs"
    assert os.path.samefile(shared / "notes/site.bbbb.css", new / "notes/site.bbbb.css"), "a hard link, not a copy"
    assert (shared / "staticfiles.json").read_text() == "new manifest", "the newest release wins a shared name"
    assert publish(shared, new, old) == [], "a second run changes nothing"


def test_publish_removes_what_no_kept_release_holds(tmp_path):
    old, new, shared = tmp_path / "r1" / "static", tmp_path / "r2" / "static", tmp_path / "shared"
    write(old, "notes/gone.css", "old")
    write(new, "notes/site.css", "new")
    shared.mkdir()
    publish(shared, new, old)
    assert publish(shared, new) == ["removed notes/gone.css"]
    assert sorted(p.name for p in shared.rglob("*") if p.is_file()) == ["site.css"]


def test_publish_replaces_a_changed_file_atomically(tmp_path):
    new, shared = tmp_path / "r2" / "static", tmp_path / "shared"
    write(shared, "robots.txt", "stale")
    write(new, "robots.txt", "fresh")
    assert publish(shared, new) == ["replaced robots.txt"]
    assert (shared / "robots.txt").read_text() == "fresh"
    assert not list(shared.glob(".*.publishing")), "no temporary file left"


def test_publish_keeps_a_release_collected_before_dot_static(tmp_path):
    """A kept release collected into <release>/static (before .static): its files stay published."""
    old, new, shared = tmp_path / "r1", tmp_path / "r2" / ".static", tmp_path / "shared"
    write(old / "static", "notes/site.aaaa.css", "old css")
    write(old / "static", ".collected", "r1\n")
    write(tmp_path / "r0" / "static", "notes/never.css", "not collected: no .collected")
    write(new, "notes/site.bbbb.css", "new css")
    shared.mkdir()
    out = publish(shared, new, old / ".static", tmp_path / "r0" / ".static")
    assert "added notes/site.aaaa.css" in out and "added notes/never.css" not in out, out


def test_release_wrapper_marks_every_response(tmp_path, monkeypatch):
    (tmp_path / "project_wsgi.py").write_text(
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'hello']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("DJANGO_AWS_WSGI_APP", "project_wsgi:application")
    monkeypatch.setenv("DJANGO_AWS_RELEASE", "0123456789ab")
    monkeypatch.setenv("DJANGO_AWS_SLOT", "green")
    spec = importlib.util.spec_from_file_location("django_aws_release", FILES / "django_aws_release.py")
    wrapper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wrapper)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=headers)

    assert wrapper.application({}, start_response) == [b"hello"]
    assert seen["status"] == "200 OK"
    assert ("X-Django-Release", "0123456789ab@green") in seen["headers"]
    assert ("Content-Type", "text/plain") in seen["headers"]

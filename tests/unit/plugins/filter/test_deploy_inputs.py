"""The filters and test behind django_app's hooks, shared paths and source excludes."""

import subprocess

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.django_aws.deploy.plugins.filter.hook_commands import hook_commands
from ansible_collections.django_aws.deploy.plugins.filter.path_parents import path_parents
from ansible_collections.django_aws.deploy.plugins.filter.tar_excludes import tar_excludes
from ansible_collections.django_aws.deploy.plugins.test.hook import is_hook


@pytest.mark.parametrize("entry", [
    "load_initial_data", "clearsessions --verbosity 0", {"command": "load_initial_data", "once": True},
    {"command": "update_index"}, "compilemessages -l 'pt BR'"])
def test_hooks_accepted(entry):
    assert is_hook(entry)


@pytest.mark.parametrize("entry", [
    "", "   ", "--noinput", "manage.py migrate", "python manage.py x", "it's unclosed", None, 3, ["migrate"],
    {"command": "x", "once": "yes"}, {"command": ""}, {"once": True}, {"command": "x", "when": "always"}])
def test_hooks_refused(entry):
    assert not is_hook(entry)


def test_hook_commands_split_like_a_shell_and_name_once_records_by_command():
    first, second, third = hook_commands(["compilemessages -l 'pt BR'", {"command": "load_initial_data", "once": True},
                                          {"command": "load_initial_data  ", "once": True}])
    assert first["argv"] == ["compilemessages", "-l", "pt BR"] and first["once"] is False
    assert second["argv"] == ["load_initial_data"] and second["once"] is True
    assert second["key"] == third["key"], "the record is named by the command, not its spacing"
    assert first["key"] != second["key"]
    with pytest.raises(AnsibleFilterError, match="management command"):
        hook_commands(["--bad"])


def test_path_parents_outermost_first_once_each():
    assert path_parents(["var/cache", "var/uploads/images", "media"]) == ["var", "var/uploads"]
    assert path_parents([]) == []


def test_tar_excludes_anchor_only_dot_slash_patterns(tmp_path):
    src = tmp_path / "src"
    for relative in ("media/a.jpg", "app/fixtures/media/b.jpg", "app/__pycache__/c.pyc", "x.pyc", "keep.py",
                     ".env", "app/.env.example"):
        (src / relative).parent.mkdir(parents=True, exist_ok=True)
        (src / relative).write_text("x")
    options = tar_excludes(["./media", "./.env", "__pycache__", "*.pyc"])
    assert options == ["--anchored", "--exclude=./media", "--no-anchored", "--anchored", "--exclude=./.env",
                       "--no-anchored", "--exclude=__pycache__", "--exclude=*.pyc"]
    listed = subprocess.run(["tar", *options, "-C", str(src), "-cf", "-", "."], capture_output=True, check=True)
    names = subprocess.run(["tar", "-tf", "-"], input=listed.stdout, capture_output=True, check=True).stdout.decode()
    files = sorted(n for n in names.split() if not n.endswith("/"))
    assert files == ["./app/.env.example", "./app/fixtures/media/b.jpg", "./keep.py"], \
        "only the top's media and .env left out; fixture media deep in the tree kept"
    with pytest.raises(AnsibleFilterError):
        tar_excludes(["./"])

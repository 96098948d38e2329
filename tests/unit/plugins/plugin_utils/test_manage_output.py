"""Reading manage.py's output for the release gates: real output of the demo app where it can be
produced here (check --deploy runs without a database), Django's documented formats otherwise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.django_aws.deploy.plugins.plugin_utils.manage_output import (
    failure, irreversible_migrations, issues, migration_targets, planned_migrations)

DEMO = Path(__file__).resolve().parents[4] / "examples" / "demo_app"


def manage(*args, **env):
    """The demo app's manage.py on the controller, as the gate runs it (no database needed)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings", "SECRET_KEY": "a-real-looking-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
                   "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db", "ALLOWED_HOSTS": "localhost", **env}
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=DEMO, env=environment, capture_output=True,
                          text=True, check=False)
    return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def test_check_deploy_of_the_demo_over_plain_http_warns_only_about_https():
    result = manage("check", "--deploy", HTTPS="false")
    assert result["rc"] == 0
    assert {issue for issue, _text in issues(result["stdout"] + result["stderr"])} == {
        "security.W004", "security.W008", "security.W012", "security.W016"}
    accepted = ["security.W004", "security.W008", "security.W012", "security.W016"]
    assert failure(result, accepted=accepted) == ""
    refused = failure(result, accepted=accepted[1:])
    assert refused.startswith("security.W004 You have not set a value for the SECURE_HSTS_SECONDS setting.")
    assert "\n" not in refused


def test_check_deploy_of_the_demo_over_https_passes_with_nothing_accepted():
    result = manage("check", "--deploy", HTTPS="true")
    assert result["rc"] == 0 and failure(result, accepted=[]) == ""


def test_debug_on_is_refused():
    result = manage("check", "--deploy", HTTPS="true", DEBUG="true")
    assert failure(result, accepted=[]).startswith("security.W018 You should not have DEBUG set to True in deployment.")


def test_an_import_error_reads_as_its_exception_line():
    result = manage("check", DJANGO_SETTINGS_MODULE="demo.no_such_settings")
    assert result["rc"] != 0
    assert failure(result) == "ModuleNotFoundError: No module named 'demo.no_such_settings'"


def test_an_unknown_command_says_which_not_the_usage_hint():
    result = manage("no_such_command")
    assert result["rc"] != 0
    assert failure(result) == "Unknown command: 'no_such_command'"


def test_system_check_errors_name_their_ids():
    result = {"rc": 1, "stdout": "", "stderr": (
        "SystemCheckError: System check identified some issues:\n\nERRORS:\n"
        "?: (admin.E403) A 'django.template.backends.django.DjangoTemplates' instance must be configured in TEMPLATES "
        "in order to use the admin application.\n\nSystem check identified 1 issue (0 silenced).\n")}
    assert failure(result).startswith("admin.E403 A 'django.template.backends.django.DjangoTemplates' instance")


def test_a_database_error_skips_postgresql_context_lines():
    stderr = ("Traceback (most recent call last):\n  File \"manage.py\", line 22, in <module>\n"
              "psycopg.errors.UndefinedTable: relation \"no_such_table\" does not exist\nLINE 1: SELECT * FROM no_such_table\n"
              "                      ^\n\nThe above exception was the direct cause of the following exception:\n\n"
              "Traceback (most recent call last):\n  File \"manage.py\", line 22, in <module>\n"
              "django.db.utils.ProgrammingError: relation \"no_such_table\" does not exist\n"
              "LINE 1: SELECT * FROM no_such_table\n                      ^\n")
    assert failure({"rc": 1, "stdout": "", "stderr": stderr}) == \
        'django.db.utils.ProgrammingError: relation "no_such_table" does not exist'


def test_a_settings_error_reads_as_its_line_even_with_output_after_it():
    stderr = ("Traceback (most recent call last):\n  File \"manage.py\", line 22, in <module>\n"
              "django.core.exceptions.ImproperlyConfigured: Unexpected value DEBUG=false, use 'True' or 'False'\n"
              "Sentry is attempting to send 1 pending event\n")
    assert failure({"rc": 1, "stdout": "", "stderr": stderr}) == \
        "django.core.exceptions.ImproperlyConfigured: Unexpected value DEBUG=false, use 'True' or 'False'"


def test_a_long_reason_is_cut_to_one_short_line():
    assert len(failure({"rc": 1, "stdout": "", "stderr": "ValueError: " + "x" * 1000})) == 300


PLAN = """Planned operations:
notes.0002_note_flag
    Add field flag to note
notes.0003_fill_flag
    Raw Python operation
sessions.0001_initial
    Create model Session
"""


@pytest.mark.parametrize("output, expected", [
    (PLAN, ["notes.0002_note_flag", "notes.0003_fill_flag", "sessions.0001_initial"]),
    ("Planned operations:\n  No planned migration operations.\n", []),
    ("", []),
])
def test_planned_migrations(output, expected):
    assert planned_migrations(output) == expected


def test_migration_targets_are_the_last_applied_of_each_app():
    applied = ("[X]  contenttypes.0001_initial\n[X]  notes.0001_initial\n[ ]  notes.0002_note_flag\n"
               "[ ]  notes.0003_fill_flag\n[ ]  sessions.0001_initial\n")
    pending = ["notes.0002_note_flag", "notes.0003_fill_flag", "sessions.0001_initial"]
    assert migration_targets(applied, pending) == {"notes": "0001_initial", "sessions": "zero"}
    assert migration_targets(applied, []) == {}


def test_irreversible_steps_of_a_backward_plan():
    backward = ("Planned operations:\nnotes.0003_fill_flag\n    Undo Raw Python operation -> IRREVERSIBLE\n"
                "notes.0002_note_flag\n    Undo Add field flag to note\n")
    assert irreversible_migrations(backward) == ["notes.0003_fill_flag: Raw Python operation"]
    assert irreversible_migrations("Planned operations:\nnotes.0002_note_flag\n    Undo Add field flag to note\n") == []

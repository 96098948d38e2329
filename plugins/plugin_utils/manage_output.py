# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading what Django's manage.py printed, for django_app's release gates (one parser, used by
the django_failure, planned_migrations, migration_targets and irreversible_migrations filters)."""

from __future__ import annotations

import re

# "?: (security.W004) You have not set ..." / "notes.Note: (models.W042) ..." / "<obj>: (admin.E403) ..."
ISSUE = re.compile(r"^(?:.*?): \((?P<id>[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*\.[A-Z]\d+)\) (?P<text>.*)$", re.M)
# `migrate --plan`: a migration on a line of its own, its operations indented below it.
PLANNED = re.compile(r"^(?P<migration>[A-Za-z_]\w*\.\w+)$", re.M)
# `showmigrations --plan`: "[X]  app.0001_initial" (applied) or "[ ]  app.0002_x".
APPLIED = re.compile(r"^\[(?P<mark>[X ])\]  (?P<app>[A-Za-z_]\w*)\.(?P<name>\w+)", re.M)
# "ModuleNotFoundError: No module named 'x'", "django.db.utils.ProgrammingError: relation ...".
# (Django's settings errors are ImproperlyConfigured.)
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault|ImproperlyConfigured)\b(?::|$)")
# manage.py <no such command>: "Unknown command: 'x'" then "Type 'manage.py help' for usage."
UNKNOWN_COMMAND = "Unknown command: "
LONGEST = 300


def one_line(text, longest=LONGEST):
    text = " ".join(str(text).split())
    return text if len(text) <= longest else text[:longest - 3] + "..."


def first_sentence(text):
    head = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return head


def issues(output):
    """[(id, first sentence of its text)] of the system check issues in the output, in order, once each."""
    seen, found = set(), []
    for match in ISSUE.finditer(output):
        if match.group("id") not in seen:
            seen.add(match.group("id"))
            found.append((match.group("id"), first_sentence(match.group("text"))))
    return found


def last_meaningful_line(text):
    """The exception line of a traceback (its last `SomeError: ...` line: PostgreSQL's errors
    add `LINE 1: ...` and a caret after it), manage.py's `Unknown command: ...` (it is followed
    by a usage hint), or the last line printed."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    exceptions = [line for line in lines if EXCEPTION.match(line) or line.startswith(UNKNOWN_COMMAND)]
    if exceptions:
        return exceptions[-1]
    return lines[-1] if lines else ""


def failure(result, accepted=None):
    """One line saying why a manage.py command failed, from its registered result (rc, stdout,
    stderr). With `accepted` (a list of check ids: check --deploy), the issues not accepted, or
    '' when every issue is accepted and the command succeeded."""
    output = f"{result.get('stdout', '')}\n{result.get('stderr', '')}"
    found = issues(output)
    if accepted is not None:
        refused = [(issue, text) for issue, text in found if issue not in set(accepted)]
        if refused:
            return one_line("; ".join(f"{issue} {text}" for issue, text in refused))
        if int(result.get("rc", 0)) == 0:
            return ""
    elif found:
        return one_line("; ".join(f"{issue} {text}" for issue, text in found))
    line = last_meaningful_line(result.get("stderr", "")) or last_meaningful_line(result.get("stdout", ""))
    return one_line(line or result.get("msg", "") or f"exit status {result.get('rc')}")


def planned_migrations(output):
    """['app.0002_name', ...] that `migrate --plan` would apply, in order."""
    return PLANNED.findall(output)


def migration_targets(showmigrations_plan, pending):
    """{app: the last applied migration of each app with pending ones, or 'zero'}: where a
    migration rollback takes each app back to."""
    apps = []
    for migration in pending:
        app = migration.split(".", 1)[0]
        if app not in apps:
            apps.append(app)
    applied = {}
    for match in APPLIED.finditer(showmigrations_plan):
        if match.group("mark") == "X":
            applied[match.group("app")] = match.group("name")
    return {app: applied.get(app, "zero") for app in apps}


def irreversible_migrations(backward_plan):
    """['app.0003_x: <operation>'] of the operations a backward `migrate --plan` marks IRREVERSIBLE."""
    found, migration = [], None
    for line in backward_plan.splitlines():
        if PLANNED.match(line):
            migration = line.strip()
        elif "IRREVERSIBLE" in line and migration:
            operation = line.strip().removeprefix("Undo ").split(" -> ")[0]
            found.append(f"{migration}: {operation}")
    return found

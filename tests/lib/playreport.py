"""Reading what ansible-playbook printed, for tests that must be able to fail.

Shared by tests/badinput, tests/e2e, molecule/conftest.py and bench/ (one parser, not five copies):
  - recap(): the PLAY RECAP per host; fails loudly when there is none, reads coloured output;
  - failure_messages(): the msg of every failed task in a json-callback report;
  - fatal_messages(): the same from the default callback's `fatal: [...]: FAILED! => {...}` lines;
  - variables_named(): the public variables a message names, in order, so a test can assert the
    message is about the variable the user set (the first one it names), not merely that the
    name appears somewhere in pages of output.
"""
import json
import re

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECAP_LINE = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", re.M)
RECAP_FIELDS = ("ok", "changed", "unreachable", "failed", "skipped")
FATAL = re.compile(r"^fatal: \[([^\]]+)\]: FAILED! => (.*)$", re.M)

# Every public variable of the collection starts with one of these (role-prefixed names).
PUBLIC_PREFIXES = ("django_aws_", "aws_network_", "rds_postgres_", "ec2_host_", "rehearsal_",
                   "django_app_", "nginx_proxy_", "supervisor_", "postgresql_", "redis_")
VARIABLE = re.compile(r"(?<![A-Za-z0-9_.])(?:%s)[a-z0-9_]*[a-z0-9]" % "|".join(PUBLIC_PREFIXES))


def plain(output):
    """The output without colour codes."""
    return ANSI.sub("", output)


def recap(output):
    """{host: {field: count}} from the last PLAY RECAP. Raises AssertionError when the output holds
    no recap: a parser that found nothing would otherwise report 0 changes, and a check for
    changed == 0 could never fail."""
    text = plain(output)
    if "PLAY RECAP" not in text:
        raise AssertionError(f"no PLAY RECAP in the output:\n{text[-2000:]}")
    last = text[text.rindex("PLAY RECAP"):]
    hosts = {m.group(1): dict(zip(RECAP_FIELDS, map(int, m.groups()[1:]))) for m in RECAP_LINE.finditer(last)}
    if not hosts:
        raise AssertionError(f"a PLAY RECAP without host lines:\n{last[:2000]}")
    return hosts


def recap_sum(output, field):
    """One recap field summed over all hosts."""
    return sum(counts[field] for counts in recap(output).values())


def _failed_items(result):
    items = result.get("results") if isinstance(result.get("results"), list) else [result]
    return [item for item in items if isinstance(item, dict) and item.get("failed") and item.get("msg")]


def failed_results(report):
    """Every failed task result (and failed loop item) in an ansible.posix.json report, in the
    order they happened."""
    failed = []
    for play in report.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                failed.extend(_failed_items(result))
    return failed


def failure_messages(report):
    """The msg of every failed task (and failed loop item), in order."""
    return [str(item["msg"]) for item in failed_results(report)]


def json_report(stdout):
    """The json callback's report from a run's stdout (warnings may come before it)."""
    return json.loads(stdout[stdout.index("{"):])


def fatal_messages(output):
    """[(host, msg)] of every `fatal: [host]: FAILED! => {...}` line of the default callback."""
    found = []
    for match in FATAL.finditer(plain(output)):
        try:
            result = json.loads(match.group(2))
        except ValueError as error:
            raise AssertionError(f"a fatal line that is not one json object: {match.group(0)[:500]}") from error
        # The callback drops "failed" from what it prints: every msg on a fatal line counts.
        items = result.get("results") if isinstance(result.get("results"), list) else [result]
        found.extend((match.group(1), str(item["msg"])) for item in items
                     if isinstance(item, dict) and item.get("msg") and item.get("failed", True))
    return found


def variables_named(message):
    """The collection's public variables a message names, in order of appearance."""
    return VARIABLE.findall(message)


def names_first(message, variable):
    """True when the first public variable the message names is `variable` (sub-options of a
    list variable count as it: supervisor_programs[0].command is about supervisor_programs)."""
    named = variables_named(message)
    return bool(named) and named[0] == variable


def assert_about(message, variable, words):
    """A bad-input message is about `variable` (the first public variable it names) and says
    what is wrong (`words`). Then the check proves it can fail: the same message naming another
    variable instead must not pass it."""
    assert names_first(message, variable), f"not about {variable} (names {variables_named(message)}): {message}"
    assert words in message, f"{words!r} not in {message!r}"
    mutated = message.replace(variable, "django_aws_some_other_variable")
    assert not names_first(mutated, variable), f"the check passes a message about another variable: {mutated}"

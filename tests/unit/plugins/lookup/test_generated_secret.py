"""The generated_secret lookup: the one generator of the collection's secrets."""

import os
import re
import string
import subprocess
from pathlib import Path

import pytest

from ansible_collections.django_aws.deploy.plugins.lookup.generated_secret import generated_secret

TOP = Path(__file__).resolve().parents[4]


def test_length_and_alphabet():
    value = generated_secret(64)
    assert len(value) == 64
    assert set(value) <= set(string.ascii_letters + string.digits)


def test_every_call_is_new():
    values = {generated_secret() for _attempt in range(200)}
    assert len(values) == 200
    # Over 200 x 32 characters every letter and digit turns up (a generator stuck on a small
    # alphabet, or on one character, would fail here).
    assert set("".join(values)) == set(string.ascii_letters + string.digits)


@pytest.mark.parametrize("length", [0, 8, 15, -1, "32", 32.0, True, None])
def test_short_or_wrong_lengths_are_refused(length):
    with pytest.raises(ValueError, match="length must be an integer of at least 16"):
        generated_secret(length)


def lookup_in_a_play(args):
    """lookup('django_aws.deploy.generated_secret', <args>) evaluated by ansible itself."""
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(TOP / ".collections"), "ANSIBLE_CONFIG": str(TOP / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1"}
    proc = subprocess.run(["ansible", "localhost", "-i", "localhost,", "-c", "local", "-m", "ansible.builtin.debug",
                           "-a", "msg={{ lookup('django_aws.deploy.generated_secret'%s) }}" % args],
                          capture_output=True, text=True, env=env, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_lookup_through_ansible():
    """As a playbook calls it: options from DOCUMENTATION, the default length, a refusal as one line."""
    rc, out = lookup_in_a_play(", length=20")
    assert rc == 0, out
    assert re.search(r'"msg": "[A-Za-z0-9]{20}"', out), out
    rc, out = lookup_in_a_play("")
    assert rc == 0 and re.search(r'"msg": "[A-Za-z0-9]{32}"', out), out
    rc, out = lookup_in_a_play(", length=4")
    assert rc != 0 and "generated_secret: length must be an integer of at least 16 (got 4)" in out, out

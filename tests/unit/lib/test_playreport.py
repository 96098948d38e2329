"""The output readers the slow tests rely on: each can fail, and fails loudly on nothing."""
import pytest

import playreport

RECAP = """
PLAY RECAP *********************************************************************
localhost                  : ok=12   changed=3    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0
web-1                      : ok=40   changed=0    unreachable=0    failed=1    skipped=5    rescued=0    ignored=0
"""


def test_recap_per_host_and_summed():
    assert playreport.recap(RECAP)["localhost"] == {"ok": 12, "changed": 3, "unreachable": 0, "failed": 0, "skipped": 2}
    assert playreport.recap_sum(RECAP, "changed") == 3
    assert playreport.recap_sum(RECAP, "failed") == 1


def test_recap_reads_coloured_output():
    coloured = RECAP.replace("localhost ", "\x1b[0;33mlocalhost\x1b[0m ").replace("changed=3", "\x1b[0;33mchanged=3\x1b[0m")
    assert playreport.recap_sum(coloured, "changed") == 3


def test_recap_uses_the_last_one():
    assert playreport.recap_sum(RECAP.replace("changed=3", "changed=9") + RECAP, "changed") == 3


@pytest.mark.parametrize("output", ["", "TASK [x] ***\nok: [localhost]\n", "PLAY RECAP ****\n\n"])
def test_recap_fails_loudly_without_one(output):
    with pytest.raises(AssertionError):
        playreport.recap(output)


def test_failure_messages_in_order_with_loop_items():
    report = {"plays": [{"tasks": [
        {"hosts": {"h": {"changed": False, "msg": "fine"}}},
        {"hosts": {"h": {"failed": True, "results": [{"failed": False, "msg": "ok item"},
                                                     {"failed": True, "msg": "first"}]}}},
        {"hosts": {"h": {"failed": True, "msg": "second"}}},
    ]}]}
    assert playreport.failure_messages(report) == ["first", "second"]
    assert playreport.failure_messages({"plays": []}) == []


def test_fatal_messages_of_the_default_callback():
    output = ('TASK [x] ***\nfatal: [localhost]: FAILED! => {"changed": false, "msg": "one line"}\n'
              "PLAY RECAP ***\n")
    assert playreport.fatal_messages(output) == [("localhost", "one line")]
    with pytest.raises(AssertionError):
        playreport.fatal_messages("fatal: [localhost]: FAILED! => not json\n")


@pytest.mark.parametrize("message, first", [
    ("aws_network_vpc_cidr must be an IPv4 network block", "aws_network_vpc_cidr"),
    ("django_aws_stack (aws_network_stack) must be lower-case", "django_aws_stack"),
    ("argument 'startsecs' is of type str found in 'supervisor_programs'.", "supervisor_programs"),
    ("django_app: django_app_source_path (/x) does not exist", "django_app_source_path"),
    ("value of nginx_proxy_tls_protocols must be one or more of: TLSv1.2", "nginx_proxy_tls_protocols"),
])
def test_the_first_variable_named(message, first):
    assert playreport.variables_named(message)[0] == first
    assert playreport.names_first(message, first)


def test_assert_about_fails_for_another_variable_or_missing_words():
    playreport.assert_about("aws_network_ssh_cidrs must be a list", "aws_network_ssh_cidrs", "must be a list")
    # The message is about another variable, which mentions ours later.
    with pytest.raises(AssertionError):
        playreport.assert_about("aws_network_public_subnet_cidrs must lie inside aws_network_vpc_cidr",
                                "aws_network_vpc_cidr", "inside")
    with pytest.raises(AssertionError):
        playreport.assert_about("aws_network_ssh_cidrs must be a list", "aws_network_ssh_cidrs", "IPv4")
    with pytest.raises(AssertionError):
        playreport.assert_about("Validation of arguments failed", "aws_network_ssh_cidrs", "failed")
    # A longer name that starts with ours is another variable.
    assert not playreport.names_first("nginx_proxy_tls_certificate_key is required", "nginx_proxy_tls_certificate")

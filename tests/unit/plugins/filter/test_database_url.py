"""Unit tests for the database_url filter."""

import dj_database_url
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.django_aws.deploy.plugins.filter.database_url import database_url


def test_plain():
    assert database_url("db.example.com", "app", "secret", "app") == \
        "postgres://app:secret@db.example.com:5432/app"


def test_user_and_password_are_encoded_and_round_trip():
    password = "p@ss:w/rd%?#&= é"
    url = database_url("demo.aaaaaaaaaa.eu-west-1.rds.amazonaws.com", "us@r", password, "app",
                       port=6543, sslmode="require")
    assert "p@ss" not in url
    parsed = dj_database_url.parse(url)
    assert parsed["USER"] == "us@r"
    assert parsed["PASSWORD"] == password
    assert parsed["HOST"] == "demo.aaaaaaaaaa.eu-west-1.rds.amazonaws.com"
    assert parsed["PORT"] == 6543
    assert parsed["NAME"] == "app"
    assert parsed["OPTIONS"] == {"sslmode": "require"}


def test_verified_tls_names_the_ca_file_and_round_trips():
    url = database_url("db.example.com", "u", "p", "d", sslmode="verify-full", sslrootcert="/etc/ssl/rds/ca-bundle.pem")
    assert url.endswith("/d?sslmode=verify-full&sslrootcert=/etc/ssl/rds/ca-bundle.pem")
    assert dj_database_url.parse(url)["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/rds/ca-bundle.pem"}


def test_port_given_as_string():
    assert database_url("h", "u", "p", "d", port="5433").endswith("@h:5433/d")


def test_ipv6_host_is_bracketed():
    assert database_url("::1", "u", "p", "d") == "postgres://u:p@[::1]:5432/d"


@pytest.mark.parametrize("kwargs, message", [
    ({"host": ""}, "host"),
    ({"user": None}, "user"),
    ({"port": "x"}, "port must be a number"),
    ({"port": 70000}, "between 1 and 65535"),
    ({"sslmode": "always"}, "sslmode must be one of"),
    ({"password": None}, "password"),
    ({"sslmode": "verify-full"}, "verify-full needs sslrootcert"),
    ({"sslmode": "verify-ca", "sslrootcert": ""}, "verify-ca needs sslrootcert"),
    ({"sslmode": "verify-full", "sslrootcert": "ca.pem"}, "absolute path"),
])
def test_bad_input(kwargs, message):
    args = {"host": "h", "user": "u", "password": "p", "dbname": "d", **kwargs}
    with pytest.raises(AnsibleFilterError, match=message):
        database_url(**args)

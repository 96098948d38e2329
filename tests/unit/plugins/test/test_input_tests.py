"""The input test plugins: each rule with values a hurried user would type."""

import base64
import struct

import pytest

from ansible_collections.django_aws.deploy.plugins.test.cidr_wider_than import cidr_wider_than
from ansible_collections.django_aws.deploy.plugins.test.cidrs_disjoint import cidrs_disjoint
from ansible_collections.django_aws.deploy.plugins.test.database_url import database_url
from ansible_collections.django_aws.deploy.plugins.test.dns_name import dns_name
from ansible_collections.django_aws.deploy.plugins.test.path_overlaps import path_overlaps
from ansible_collections.django_aws.deploy.plugins.test.private_key import private_key
from ansible_collections.django_aws.deploy.plugins.test.proper_list import proper_list
from ansible_collections.django_aws.deploy.plugins.test.ssh_public_key import ssh_public_key
from ansible_collections.django_aws.deploy.plugins.test.stack_name import stack_name
from ansible_collections.django_aws.deploy.plugins.test.tcp_port import tcp_port


def openssh_key(key_type, payload=b"\x00" * 32):
    blob = struct.pack(">I", len(key_type)) + key_type.encode() + struct.pack(">I", len(payload)) + payload
    return f"{key_type} {base64.b64encode(blob).decode()} me@laptop\n"


@pytest.mark.parametrize("value, expected", [
    (["www.example.com"], True), ([], True), (("a", "b"), True),
    ("www.example.com", False), ("a,b", False), ({"a": 1}, False), (None, False), (3, False)])
def test_proper_list(value, expected):
    assert proper_list(value) is expected


@pytest.mark.parametrize("value, expected", [
    (1, True), (80, True), (65535, True), ("8080", True),
    (0, False), (-1, False), (65536, False), (70000, False), ("http", False), (80.5, False), (True, False), (None, False)])
def test_tcp_port(value, expected):
    assert tcp_port(value) is expected


@pytest.mark.parametrize("value, expected", [
    ("0.0.0.0/0", True), ("0.0.0.0/00", True), ("0.0.0.0/0.0.0.0", True), ("0.0.0.0/1", True), ("0.0.0.0/7", True),
    ("10.0.0.0/8", False), ("203.0.113.7/32", False), ("10.0.0.0/255.0.0.0", False), ("my office", False), ("::/0", False)])
def test_cidr_wider_than_a_slash_8(value, expected):
    assert cidr_wider_than(value, 8) is expected


@pytest.mark.parametrize("value, other, expected", [
    ("/srv/app/media", "/srv/app/media", True), ("/srv/app/media/", "/srv/app//media", True),
    ("/srv/app/releases/media", "/srv/app/releases", True), ("/srv/app", "/srv/app/releases", True),
    ("/srv/app/./releases/x", "/srv/app/releases", True),
    ("/srv/app/media", "/srv/app/releases", False), ("/srv/app/static", "/srv/app/static2", False),
    ("/srv/app/releases/../media", "/srv/app/releases", False)])
def test_path_overlaps(value, other, expected):
    assert path_overlaps(value, other) is expected


def test_ssh_public_key_accepts_the_types_ec2_imports():
    assert ssh_public_key(openssh_key("ssh-ed25519"))
    assert ssh_public_key(openssh_key("ssh-rsa", b"\x01" * 64))


@pytest.mark.parametrize("text", [
    "",
    "not a key",
    openssh_key("ecdsa-sha2-nistp256"),                           # EC2 does not import ECDSA
    "ssh-ed25519 AAAA!!notbase64 x",
    openssh_key("ssh-rsa").replace("ssh-rsa", "ssh-ed25519", 1),  # declared type != blob's type
    openssh_key("ssh-ed25519") + openssh_key("ssh-ed25519"),      # two keys
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
])
def test_ssh_public_key_refuses(text):
    assert not ssh_public_key(text)


def test_private_key_is_recognised():
    assert private_key("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n")
    assert private_key("-----BEGIN RSA PRIVATE KEY-----\nabc\n")
    assert not private_key(openssh_key("ssh-ed25519"))


@pytest.mark.parametrize("url", [
    "postgres://app:secret@db.example.com:5432/app",
    "postgres://app:p%40ss%23w%2Frd@db.example.com:5432/app?sslmode=require",
    "postgresql://app@localhost/app",
    "postgres://db.example.com/app",
    "postgres://app:pa$$w0rd!@db.example.com/app",        # RFC 3986 allows these unencoded
    "postgres://app:p%2fss@db.example.com/app",           # lower-case escape
    "postgres://app:a:b@db.example.com/app",              # ':' inside the password
    "postgres:///app",                                    # local socket
    "postgres://app@/app?host=/run/postgresql",
])
def test_database_url_round_trips(url):
    assert database_url(url)


@pytest.mark.parametrize("url", [
    "postgres://app:pa#ss@db.example.com:5432/app",       # '#' starts a fragment: host and db lost
    "postgres://app:p@ss@db.example.com:5432/app",        # second '@'
    "postgres://app:pa/ss@db.example.com:5432/app",       # '/' ends the host part early
    "postgres://app:secret@db.example.com:99999/app",     # port out of range
    "postgres://app:secret@db.example.com:5432/",         # no database
    "mysql://app:secret@db.example.com/app",              # not PostgreSQL
    "db.example.com",
    "postgres://app:pa?ss@db.example.com/app",            # '?' starts the options early
    "postgres://app:50%off@db.example.com/app",           # '%' that is no escape
    "postgres://app:secret@db.example.com/app#",          # empty fragment
])
def test_database_url_refuses(url):
    assert not database_url(url)


def test_the_database_url_filter_output_round_trips():
    from ansible_collections.django_aws.deploy.plugins.filter.database_url import database_url as build
    assert database_url(build("db.example.com", user="app", password="p@ss#w/rd:%x", dbname="app", sslmode="require"))


@pytest.mark.parametrize("blocks, expected", [
    (["10.20.0.0/24", "10.20.1.0/24", "10.20.10.0/24"], True),
    ([], True),
    (["10.20.0.0/24", "10.20.0.128/25"], False),
    (["10.20.0.0/23", "10.20.1.0/24"], False),
    (["10.20.0.0/24", "10.20.0.0/24"], False),
])
def test_cidrs_disjoint(blocks, expected):
    assert cidrs_disjoint(blocks) is expected


@pytest.mark.parametrize("value, expected", [
    ("demo", True), ("e2e", True), ("my-shop-2", True), ("a" * 32, True),
    ("x", False), ("a" * 33, False), ("My_Stack", False), ("2fast", False), ("shop\n", False),
    ("shop.prod", False), ("app-", False), ("my--app", False), ("a-", False), ("a-b", True), ("", False), (None, False), (42, False)])
def test_stack_name(value, expected):
    assert stack_name(value) is expected


@pytest.mark.parametrize("value, expected", [
    ("www.example.com", True), ("example.com", True), ("demo.rehearsal.test", True), ("xn--bcher-kva.example", True),
    ("a.b", True), ("my-shop.co.uk", True), ("a" * 63 + ".com", True),
    ("localhost", False), ("*.example.com", False), ("example.com.", False), ("www.example.com\n", False),
    ("-www.example.com", False), ("www-.example.com", False), ("www..example.com", False), ("a" * 64 + ".com", False),
    ("203.0.113.7", False), ("example.123", False), ("www.example.com/", False), ("https://example.com", False),
    ("www example.com", False), ("ex_ample.com", False), (("a" * 60 + ".") * 5 + "com", False), ("", False),
    (None, False), (["example.com"], False)])
def test_dns_name(value, expected):
    assert dns_name(value) is expected

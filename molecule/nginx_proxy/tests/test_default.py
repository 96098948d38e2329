"""nginx_proxy role: TLS site in front of a stand-in upstream, static and media from disk."""

import gzip
import json
import re
import socket
import ssl

import pytest
import requests
import urllib3

from conftest import assert_refused, playreport, role_play, run_play

urllib3.disable_warnings()
HOST = "dja-nginx"
HTTP = "http://127.0.0.1:18081"
# A name, not an address: clients send a TLS server name (SNI) only for names, and a handshake
# without one (or with another name) is refused.
HTTPS = "https://localhost:18443"
CONVERGE_VARS = {
    "nginx_proxy_server_names": ["localhost", "127.0.0.1"],
    "nginx_proxy_tls_enabled": True,
    "nginx_proxy_tls_certificate": "/etc/ssl/demo/cert.pem",
    "nginx_proxy_tls_certificate_key": "/etc/ssl/demo/key.pem",
    "nginx_proxy_login_rate_limit": "30r/m",
    "nginx_proxy_login_rate_burst": 2,
}


def get(url, **kwargs):
    return requests.get(url, verify=False, allow_redirects=False, timeout=10, **kwargs)


def test_nginx_installed_enabled_running(host):
    assert host.package("nginx").is_installed
    assert host.service("nginx").is_enabled
    assert host.service("nginx").is_running
    assert host.socket("tcp://0.0.0.0:80").is_listening
    assert host.socket("tcp://0.0.0.0:443").is_listening


def test_default_site_removed(host):
    assert not host.file("/etc/nginx/sites-enabled/default").exists
    assert host.file("/etc/nginx/sites-enabled/django.conf").is_symlink


def test_http_redirects_to_https():
    response = get(f"{HTTP}/some/page?x=1")
    assert response.status_code == 301
    # The redirect names the public HTTPS port (443), not the test's published port.
    assert response.headers["Location"] == "https://127.0.0.1/some/page?x=1"


def test_proxy_headers_reach_upstream():
    response = get(f"{HTTPS}/hello", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200
    seen = {k.lower(): v for k, v in response.json()["headers"].items()}
    assert seen["host"] == "localhost:18443"
    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-real-ip"].count(".") == 3
    assert seen["x-forwarded-for"].startswith("203.0.113.9, ")
    assert "connection" not in seen, "HTTP/1.1 keepalive to the upstream, no 'close'"


def test_loopback_answers_the_health_path_alone_as_https(host):
    """With TLS on, the host itself may ask the health path over plain HTTP on 127.0.0.1 (the
    deploy's checks through nginx: no TLS server name from there), passed on as HTTPS; nothing else."""
    def local(path):
        return host.run("python3 -c \"import json, urllib.request, urllib.error\n"
                        "try:\n r = urllib.request.urlopen('http://127.0.0.1%s', timeout=5)\n"
                        " print(r.status, r.read().decode())\n"
                        "except urllib.error.HTTPError as e:\n print(e.code, '')\"" % path)
    status, body = local("/healthz").stdout.split(" ", 1)
    assert status == "200"
    assert {k.lower(): v for k, v in json.loads(body)["headers"].items()}["x-forwarded-proto"] == "https"
    assert local("/hello").stdout.split(" ", 1)[0] == "404"


def test_security_headers_and_no_version():
    response = get(f"{HTTPS}/hello")
    assert response.headers["Server"] == "nginx"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_each_security_header_once_and_the_apps_own_value_wins():
    """nginx adds a header only when the app did not send it: one X-Frame-Options, the view's."""
    framed = get(f"{HTTPS}/framed")
    assert framed.status_code == 200
    assert framed.raw.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    plain = get(f"{HTTPS}/hello")
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Strict-Transport-Security"):
        assert len(plain.raw.headers.getlist(name)) == 1, name


def test_unknown_host_closed_unanswered():
    """A Host that is none of the server names never reaches the app: HTTP closed with no answer
    (444), TLS handshake refused for another server name or none."""
    with pytest.raises(requests.exceptions.ConnectionError):
        get(f"{HTTP}/hello", headers={"Host": "evil.example"})
    with pytest.raises(requests.exceptions.ConnectionError):
        get(f"{HTTPS}/hello", headers={"Host": "evil.example"})
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    for name in ("evil.example", None):
        with socket.create_connection(("127.0.0.1", 18443), timeout=5) as raw:
            with pytest.raises(ssl.SSLError):
                context.wrap_socket(raw, server_hostname=name)
    with socket.create_connection(("127.0.0.1", 18443), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
    assert get(f"{HTTP}/hello").status_code == 301, "a known name still gets its redirect"


def test_tls_intermediate_only():
    """Mozilla intermediate: no TLS 1.1, no TLS 1.2 suite outside the list (a CBC one here)."""
    for version, ciphers in ((ssl.TLSVersion.TLSv1_1, "DEFAULT:@SECLEVEL=0"), (ssl.TLSVersion.TLSv1_2, "AES128-SHA")):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        context.minimum_version = context.maximum_version = version
        context.set_ciphers(ciphers)
        with socket.create_connection(("127.0.0.1", 18443), timeout=5) as raw:
            with pytest.raises(ssl.SSLError):
                context.wrap_socket(raw, server_hostname="localhost")


def test_login_rate_limited_and_nothing_else():
    """30r/m with a burst of 2 on /admin/login/: quick requests past the burst get 429."""
    statuses = [get(f"{HTTPS}/admin/login/").status_code for attempt in range(6)]
    assert statuses[0] == 200 and 429 in statuses, statuses
    assert [get(f"{HTTPS}/hello").status_code for attempt in range(6)] == [200] * 6


def test_static_served_from_disk_with_cache_headers_and_gzip():
    response = get(f"{HTTPS}/static/site.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=600", "a name without a hash may change content"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["X-Frame-Options"] == "DENY", "security headers on static too"
    assert "#123456" in response.text
    hashed = get(f"{HTTPS}/static/site.0123456789ab.css", headers={"Accept-Encoding": "gzip"})
    assert hashed.status_code == 200 and "#654321" in hashed.text
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable", "a hashed name is cached for good"
    assert hashed.headers["X-Frame-Options"] == "DENY", "security headers in the nested location too"
    assert hashed.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert get(f"{HTTPS}/static/missing.css").status_code == 404


def test_gzip_static_serves_the_precompressed_file(host):
    raw = requests.get(f"{HTTPS}/static/big.css", verify=False, timeout=10, stream=True,
                       headers={"Accept-Encoding": "gzip"})
    body = raw.raw.read(decode_content=False)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert body == host.file("/srv/django/static/big.css.gz").content
    assert gzip.decompress(body).startswith(b".precompressed")


def test_media_served():
    response = get(f"{HTTPS}/media/upload.txt")
    assert response.status_code == 200
    assert response.text == "uploaded\n"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("name", ["evil.svg", "page.HTML"])
def test_uploaded_markup_is_a_sandboxed_download(name):
    response = get(f"{HTTPS}/media/{name}")
    assert response.status_code == 200 and "<script>" in response.text
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.raw.headers.getlist("X-Frame-Options")) == 1


def test_invalid_setting_refused_and_nginx_keeps_serving(host):
    site = "/etc/nginx/sites-available/django.conf"
    before = host.file(site).content_string
    result = run_play(HOST, role_play("nginx_proxy", {
        **CONVERGE_VARS, "nginx_proxy_extra_directives": ["this_is_not_a_directive on;"]}), json_report=True)
    assert result.rc != 0
    # nginx's own verdict on the candidate file (nginx -t), not our text echoed back.
    failed = " ".join(f"{r.get('msg', '')} {r.get('stderr', '')}" for r in playreport.failed_results(result.report))
    assert re.search(r'\[emerg\] \d+#\d+: unknown directive "this_is_not_a_directive" in \S+:\d+', failed), failed
    assert host.file(site).content_string == before
    assert get(f"{HTTPS}/static/site.css").status_code == 200
    assert host.service("nginx").is_running


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("variables, variable, words", [
    ({"nginx_proxy_tls_enabled": "maybe"}, "nginx_proxy_tls_enabled", "not a valid boolean"),
    ({"nginx_proxy_tls_protocols": ["SSLv3"]}, "nginx_proxy_tls_protocols", "one or more of: TLSv1.2, TLSv1.3"),
    ({"nginx_proxy_tls_enabled": True}, "nginx_proxy_tls_certificate", "_key are required with nginx_proxy_tls_enabled"),
    ({"nginx_proxy_http_port": "eighty"}, "nginx_proxy_http_port", "unable to convert to int"),
    ({"nginx_proxy_site_name": "my site"}, "nginx_proxy_site_name", "may hold only letters"),
    ({"nginx_proxy_login_rate_limit": "10/minute"}, "nginx_proxy_login_rate_limit", "a rate like 10r/m"),
    ({"nginx_proxy_media_attachment_extensions": ".svg"}, "nginx_proxy_media_attachment_extensions", "list of extensions"),
    ({"nginx_proxy_send_timeout": 0}, "nginx_proxy_send_timeout", "above 0"),
    ({"nginx_proxy_tls_ciphers": ["ECDHE-RSA-AES128-GCM-SHA256;ssl_ciphers ALL"]}, "nginx_proxy_tls_ciphers", "OpenSSL cipher names"),
])
def test_bad_input_fails_before_any_change(host, variables, variable, words):
    assert_refused(host, HOST, "nginx_proxy", variables, variable, words,
                   ["/etc/nginx", "/etc/nginx/sites-enabled"])

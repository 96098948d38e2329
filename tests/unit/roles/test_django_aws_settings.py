"""django_app's settings overlay (files/django_aws_settings.py): a project's own settings, then the
deployment's, read from the environment the role writes."""

import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest

OVERLAY = Path(__file__).resolve().parents[3] / "roles" / "django_app" / "files" / "django_aws_settings.py"
ENVIRON = {
    "SECRET_KEY": "k" * 64, "DEBUG": "False", "HTTPS": "False", "ALLOWED_HOSTS": "www.example.com,example.com",
    "CSRF_TRUSTED_ORIGINS": "https://www.example.com", "STATIC_ROOT": "/srv/app/releases/abc/.static",
    "MEDIA_ROOT": "/srv/app/media", "DATABASE_URL": "postgres://app:p%40ss%3Aw0rd@db.internal:5433/shop?sslmode=require",
}


def overlay_module():
    spec = importlib.util.spec_from_file_location("overlay_under_test", OVERLAY)
    module = importlib.util.module_from_spec(spec)
    # The module applies itself on import (DJANGO_AWS_PROJECT_SETTINGS): point it at a stand-in.
    project = types.ModuleType("project_settings_under_test")
    sys.modules[project.__name__] = project
    import os  # pylint: disable=import-outside-toplevel
    old = os.environ.get("DJANGO_AWS_PROJECT_SETTINGS")
    os.environ.update({**ENVIRON, "DJANGO_AWS_PROJECT_SETTINGS": project.__name__})
    try:
        spec.loader.exec_module(module)
    finally:
        for key in ENVIRON:
            os.environ.pop(key, None)
        if old is None:
            os.environ.pop("DJANGO_AWS_PROJECT_SETTINGS", None)
    return module


MODULE = overlay_module()


def startproject_settings():
    """What a fresh `django-admin startproject` settings.py holds, in the parts that matter."""
    project = types.SimpleNamespace(
        SECRET_KEY="django-insecure-hard-coded", DEBUG=True, ALLOWED_HOSTS=[], INSTALLED_APPS=["django.contrib.admin"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/x/db.sqlite3"},
                   "reports": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/x/reports.sqlite3"}},
        STATIC_URL="static/", STATIC_ROOT="/x/static", LOGGING={"version": 1, "handlers": {"file": {}}},
        helper=lambda: None, _private=1)
    return project


def test_the_deployment_wins_over_the_hard_coded_settings():
    settings = MODULE.overlay(startproject_settings(), ENVIRON)
    assert settings["SECRET_KEY"] == "k" * 64 and settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["www.example.com", "example.com"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://www.example.com"]
    assert settings["STATIC_ROOT"] == "/srv/app/releases/abc/.static" and settings["STATIC_URL"] == "/static/"
    assert settings["MEDIA_ROOT"] == "/srv/app/media" and settings["MEDIA_URL"] == "/media/"
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["SESSION_COOKIE_SECURE"] is False and settings["SECURE_SSL_REDIRECT"] is False
    assert settings["LOGGING"]["handlers"] == {"stderr": {"class": "logging.StreamHandler"}}
    assert settings["INSTALLED_APPS"] == ["django.contrib.admin"]
    assert settings["DATABASES"]["reports"]["NAME"] == "/x/reports.sqlite3", "other aliases kept"
    assert "helper" not in settings and "_private" not in settings, "only settings (upper case) are taken"


def test_database_url_parsed_with_the_standard_library():
    database = MODULE.parse_database_url(ENVIRON["DATABASE_URL"])
    assert database == {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "app",
                        "PASSWORD": "p@ss:w0rd", "HOST": "db.internal", "PORT": "5433",
                        "OPTIONS": {"sslmode": "require", "connect_timeout": "5"},
                        "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    socket = MODULE.parse_database_url("postgres://app@/shop?host=/run/postgresql&options=-c%20search_path%3Dx")
    assert socket["HOST"] == "/run/postgresql" and socket["PORT"] == ""
    assert socket["OPTIONS"] == {"options": "-c search_path=x", "connect_timeout": "5"}
    assert MODULE.parse_database_url("postgres://a:b@[::1]:6432/d?connect_timeout=2")["HOST"] == "::1"
    assert MODULE.parse_database_url("postgres://a:b@[::1]:6432/d?connect_timeout=2")["OPTIONS"] == {"connect_timeout": "2"}
    assert MODULE.parse_database_url("postgis://a:b@h/d")["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    with pytest.raises(ValueError, match="unsupported scheme"):
        MODULE.parse_database_url("mysql://a:b@h/d")


def test_https_turns_on_secure_cookies_redirect_and_hsts():
    settings = MODULE.overlay(startproject_settings(), {**ENVIRON, "HTTPS": "True"})
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"] and settings["SECURE_SSL_REDIRECT"]
    assert settings["SECURE_HSTS_SECONDS"] == 31536000 and settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_kept_settings_extra_apps_and_overrides():
    environ = {**ENVIRON, "DJANGO_AWS_OVERLAY_KEEP": "LOGGING,STATIC_URL",
               "DJANGO_AWS_INSTALLED_APPS_EXTRA": "catalog,django.contrib.admin",
               "DJANGO_AWS_SETTINGS_OVERRIDES": json.dumps({"SESSION_COOKIE_AGE": 600, "DEBUG": False})}
    settings = MODULE.overlay(startproject_settings(), environ)
    assert settings["LOGGING"] == {"version": 1, "handlers": {"file": {}}}, "kept as the project has it"
    assert settings["STATIC_URL"] == "static/"
    assert settings["INSTALLED_APPS"] == ["django.contrib.admin", "catalog"], "appended once"
    assert settings["SESSION_COOKIE_AGE"] == 600


def test_applied_on_import_from_the_named_project_module():
    assert MODULE.SECRET_KEY == "k" * 64 and MODULE.DATABASES["default"]["NAME"] == "shop"
    assert [name for name in vars(MODULE) if name.isupper() and not hasattr(startproject_settings(), name)
            and name not in MODULE.overlay(startproject_settings(), ENVIRON)] == [], "no setting of the overlay's own"


def test_the_projects_transaction_settings_are_kept():
    project = startproject_settings()
    project.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "ATOMIC_REQUESTS": True, "TIME_ZONE": "UTC",
                                     "OPTIONS": {"timeout": 20}}}
    default = MODULE.overlay(project, ENVIRON)["DATABASES"]["default"]
    assert default["ATOMIC_REQUESTS"] is True and default["TIME_ZONE"] == "UTC"
    assert default["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}, "SQLite's options are not PostgreSQL's"


def test_static_sources_in_base_dir_static_are_collected_beside_them():
    """The layout of Django's how-to: STATICFILES_DIRS = [BASE_DIR / "static"] beside the release's .static."""
    project = startproject_settings()
    project.STATICFILES_DIRS = [Path("/srv/app/releases/abc/static"), ("vendor", "/srv/app/releases/abc/assets")]
    assert MODULE.overlay(project, ENVIRON)["STATIC_ROOT"] == "/srv/app/releases/abc/.static"


@pytest.mark.parametrize("entry, setting", [
    ("/srv/app/releases/abc/.static", "STATIC_ROOT"),     # E002's case
    ("/srv/app/releases/abc", "STATIC_ROOT"),             # the whole project as a source
    (("media", "/srv/app/media/public"), "MEDIA_ROOT"),   # uploads published as the site's files
])
def test_a_static_source_overlapping_static_or_media_root_is_refused(entry, setting):
    project = startproject_settings()
    project.STATICFILES_DIRS = [entry]
    with pytest.raises(MODULE.ImproperlyConfigured, match=f"^{setting} .* overlaps STATICFILES_DIRS entry"):
        MODULE.overlay(project, ENVIRON)


def test_mail_settings_from_the_environment_typed():
    environ = {**ENVIRON, "EMAIL_HOST": "email-smtp.eu-west-1.amazonaws.com", "EMAIL_PORT": "587",
               "EMAIL_USE_TLS": "True", "EMAIL_HOST_USER": "AKIAEXAMPLE", "EMAIL_HOST_PASSWORD": "s3cret",
               "DEFAULT_FROM_EMAIL": "shop@example.com"}
    settings = MODULE.overlay(startproject_settings(), environ)
    assert settings["EMAIL_HOST"] == "email-smtp.eu-west-1.amazonaws.com" and settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert settings["DEFAULT_FROM_EMAIL"] == "shop@example.com"
    # Not set in the environment: the project's own (or Django's default) stays.
    assert "EMAIL_USE_SSL" not in settings and "SERVER_EMAIL" not in settings


@pytest.mark.parametrize("mail, words", [
    ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
    ({"EMAIL_TIMEOUT": ""}, "EMAIL_TIMEOUT must be a whole number"),
    ({"EMAIL_USE_TLS": "True", "EMAIL_USE_SSL": "True"}, "EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive")])
def test_bad_mail_settings_are_refused_by_name(mail, words):
    with pytest.raises(MODULE.ImproperlyConfigured, match=words):
        MODULE.overlay(startproject_settings(), {**ENVIRON, **mail})


@pytest.mark.parametrize("written, expected", [("True", True), ("False", False), ("true", True), ("", False)])
def test_debug_as_the_role_writes_it(written, expected):
    assert MODULE.overlay(startproject_settings(), {**ENVIRON, "DEBUG": written})["DEBUG"] is expected


def test_secret_key_fallbacks_from_the_environment():
    assert MODULE.overlay(startproject_settings(), ENVIRON)["SECRET_KEY_FALLBACKS"] == []
    rotated = MODULE.overlay(startproject_settings(), {**ENVIRON, "SECRET_KEY_FALLBACKS": "old-one,older-one"})
    assert rotated["SECRET_KEY_FALLBACKS"] == ["old-one", "older-one"]

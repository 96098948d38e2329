"""Settings overlay of a django_app deployment: the project's own settings, then what the
deployment decides (django_app_settings_overlay, on by default).

DJANGO_SETTINGS_MODULE names this module; it imports the project's settings module
(DJANGO_AWS_PROJECT_SETTINGS, django_app_settings_module), takes every upper-case name from it,
then sets the settings below from the slot's environment (the role writes it, see
environment.j2). A project that reads everything from the environment itself can turn the
overlay off; one setting is left as the project has it by naming it in DJANGO_AWS_OVERLAY_KEEP
(django_app_settings_overlay_keep).

  DATABASES['default']     from DATABASE_URL (the project's ATOMIC_REQUESTS, TIME_ZONE, ... kept) (parsed here with the standard library: no new
                           dependency for the app); the query string's options (sslmode, ...)
                           kept as OPTIONS (connect_timeout 5 s unless given); persistent
                           connections (60 s) with health checks
  SECRET_KEY               SECRET_KEY (the role's: given, or generated once for the site's hosts)
  SECRET_KEY_FALLBACKS     SECRET_KEY_FALLBACKS (comma list; django_app_secret_key_fallbacks)
  DEBUG                    DEBUG (false unless django_app_debug)
  ALLOWED_HOSTS            ALLOWED_HOSTS (comma list)
  CSRF_TRUSTED_ORIGINS     CSRF_TRUSTED_ORIGINS (comma list)
  STATIC_ROOT, STATIC_URL  the release's own static directory; /static/ (what nginx serves)
  MEDIA_ROOT, MEDIA_URL    the shared media directory outside the releases; /media/
  SECURE_PROXY_SSL_HEADER  nginx's X-Forwarded-Proto (nginx sets it: clients cannot)
  SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_HSTS_SECONDS,
  SECURE_HSTS_INCLUDE_SUBDOMAINS
                           on when HTTPS is true, off otherwise (a secure cookie on a plain
                           HTTP site would make logins impossible)
  LOGGING                  everything to stderr (supervisor's log), nothing into the release
  INSTALLED_APPS           DJANGO_AWS_INSTALLED_APPS_EXTRA appended (comma list)
  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
  EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL, SERVER_EMAIL
                           from the environment variables of the same names, those that are set
                           (django_app_environment; README "Mail")
  then DJANGO_AWS_SETTINGS_OVERRIDES (a JSON object: name -> value) set as given.

STATIC_ROOT or MEDIA_ROOT inside one of the project's STATICFILES_DIRS (or around it) is refused
with ImproperlyConfigured naming both: collectstatic would publish uploads, or collect its own
output back, or --clear the project's sources.

Installed into each slot by the django_aws.deploy.django_app role.
"""
import importlib
import json
import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# Module-level names are lower-case: every upper-case name here would become a Django setting.
engines = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "postgis": "django.contrib.gis.db.backends.postgis",
}
hsts_seconds = 31536000
connect_timeout = 5
# Keys of the project's DATABASES['default'] that are not about the connection: kept.
kept_database_keys = ("ATOMIC_REQUESTS", "AUTOCOMMIT", "TIME_ZONE", "DISABLE_SERVER_SIDE_CURSORS")
# Mail settings read from the environment when set there, each with its type.
mail_settings = {"EMAIL_HOST": str, "EMAIL_PORT": int, "EMAIL_HOST_USER": str, "EMAIL_HOST_PASSWORD": str,
                 "EMAIL_USE_TLS": bool, "EMAIL_USE_SSL": bool, "EMAIL_TIMEOUT": int,
                 "DEFAULT_FROM_EMAIL": str, "SERVER_EMAIL": str}


def parse_database_url(url):
    """Django's DATABASES entry for a postgres:// URL (user and password percent-decoded, an
    empty or /path host for a local socket, query options kept as OPTIONS)."""
    parts = urlsplit(url)
    if parts.scheme not in engines:
        raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (use postgres://)")
    userinfo, _at, hostport = parts.netloc.rpartition("@")
    user, _colon, password = userinfo.partition(":")
    if hostport.startswith("["):
        host, _bracket, rest = hostport[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _colon, port = hostport.partition(":")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    # libpq waits for ever on an unreachable server: a worker would hang until gunicorn kills it.
    options.setdefault("connect_timeout", str(connect_timeout))
    return {
        "ENGINE": engines[parts.scheme],
        "NAME": unquote(parts.path[1:]),
        "USER": unquote(user),
        "PASSWORD": unquote(password),
        # libpq's ?host=/run/postgresql names a socket directory: Django's HOST.
        "HOST": options.pop("host", None) or unquote(host),
        "PORT": options.pop("port", None) or port,
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def environment_flag(value):
    """True/False as the role writes them; true/1/yes accepted too (a user's own variables)."""
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def mail_from(environ):
    """The mail settings set in the environment, typed (ImproperlyConfigured naming a bad one)."""
    found = {}
    for name, kind in mail_settings.items():
        if name in environ:
            value = environ[name]
            try:
                found[name] = environment_flag(value) if kind is bool else kind(value)
            except ValueError:
                raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r})") from None
    if found.get("EMAIL_USE_TLS") and found.get("EMAIL_USE_SSL"):
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: STARTTLS on 587 or TLS on 465, not both")
    return found


def static_dir_path(entry):
    """The directory of a STATICFILES_DIRS entry (a path, or a (prefix, path) pair)."""
    return os.path.abspath(os.fspath(entry[1] if isinstance(entry, (list, tuple)) else entry))


def overlapping(path, other):
    path, other = os.path.abspath(os.fspath(path)), os.path.abspath(os.fspath(other))
    return path == other or path.startswith(other.rstrip("/") + "/") or other.startswith(path.rstrip("/") + "/")


def refuse_collisions(settings):
    """ImproperlyConfigured when STATIC_ROOT or MEDIA_ROOT overlaps one of STATICFILES_DIRS."""
    for entry in settings.get("STATICFILES_DIRS") or ():
        source = static_dir_path(entry)
        for name in ("STATIC_ROOT", "MEDIA_ROOT"):
            if settings.get(name) and overlapping(settings[name], source):
                raise ImproperlyConfigured(
                    f"{name} ({settings[name]}) overlaps STATICFILES_DIRS entry {source}: keep static sources, "
                    "collected files and uploads in separate directories")


def overlay(project, environ):
    """The settings: the project's upper-case names, then the deployment's (a dict)."""
    settings = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    keep = set(filter(None, environ.get("DJANGO_AWS_OVERLAY_KEEP", "").split(",")))
    https = environment_flag(environ.get("HTTPS", ""))
    decided = {
        "SECRET_KEY": environ["SECRET_KEY"],
        "SECRET_KEY_FALLBACKS": [k for k in environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k],
        "DEBUG": environment_flag(environ.get("DEBUG", "")),
        "ALLOWED_HOSTS": [h for h in environ.get("ALLOWED_HOSTS", "").split(",") if h],
        "CSRF_TRUSTED_ORIGINS": [o for o in environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o],
        "STATIC_ROOT": environ["STATIC_ROOT"],
        "STATIC_URL": "/static/",
        "MEDIA_ROOT": environ["MEDIA_ROOT"],
        "MEDIA_URL": "/media/",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_SSL_REDIRECT": https,
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        "SECURE_HSTS_SECONDS": hsts_seconds if https else 0,
        # As nginx_proxy's header says; preload (a commitment to browsers' lists) is yours to add.
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": https,
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"stderr": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["stderr"], "level": environ.get("LOG_LEVEL", "INFO")},
        },
    }
    databases = dict(settings.get("DATABASES") or {})
    project_default = databases.get("default") or {}
    databases["default"] = {**{k: project_default[k] for k in kept_database_keys if k in project_default},
                            **parse_database_url(environ["DATABASE_URL"])}
    decided["DATABASES"] = databases
    extra_apps = [a for a in environ.get("DJANGO_AWS_INSTALLED_APPS_EXTRA", "").split(",") if a]
    if extra_apps:
        apps = list(settings.get("INSTALLED_APPS", []))
        decided["INSTALLED_APPS"] = apps + [a for a in extra_apps if a not in apps]
    decided.update(mail_from(environ))
    settings.update({name: value for name, value in decided.items() if name not in keep})
    settings.update(json.loads(environ.get("DJANGO_AWS_SETTINGS_OVERRIDES") or "{}"))
    refuse_collisions(settings)
    return settings


globals().update(overlay(importlib.import_module(os.environ["DJANGO_AWS_PROJECT_SETTINGS"]), os.environ))

"""Fixtures for the demo app: a real PostgreSQL server, Django set up against it."""

import os
import sys
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(APP_DIR))

from tests.postgres_server import PostgresServer  # noqa: E402


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app_env(postgres, tmp_path_factory):
    """The environment the deployed app gets from its environment file."""
    static_root = tmp_path_factory.mktemp("static")
    return {
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "SECRET_KEY": "test-" + "k" * 60,
        "DATABASE_URL": postgres.url("postgres"),
        "ALLOWED_HOSTS": "testserver,localhost",
        "CSRF_TRUSTED_ORIGINS": "https://testserver",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }


@pytest.fixture(scope="session")
def django_db(app_env):
    """Django configured from app_env, static files collected, a test database migrated."""
    os.environ.update(app_env)
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0)
    yield connection
    connection.creation.destroy_test_db(old_name, verbosity=0)


@pytest.fixture
def client(django_db):
    from django.test import Client

    return Client(enforce_csrf_checks=True)

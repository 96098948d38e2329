"""WSGI entry point of a django_app release: the project's own application, every response
marked with the release and slot that served it.

gunicorn loads `django_aws_release:application` (this directory is on its python path); the
project's callable comes from DJANGO_AWS_WSGI_APP (`module:callable`, django_app_wsgi_module)
and the mark from DJANGO_AWS_RELEASE and DJANGO_AWS_SLOT, which the slot's environment and
gunicorn configuration set. The deploy's health gate reads the header, so a check answered by
the old release fails instead of passing. Installed by the django_aws.deploy.django_app role.
"""
import importlib
import os

HEADER = "X-Django-Release"


def _project_application():
    module_name, _sep, attribute = os.environ["DJANGO_AWS_WSGI_APP"].partition(":")
    return getattr(importlib.import_module(module_name), attribute)


_APPLICATION = _project_application()
_MARK = (HEADER, f"{os.environ['DJANGO_AWS_RELEASE']}@{os.environ['DJANGO_AWS_SLOT']}")


def application(environ, start_response):
    def start_marked(status, headers, exc_info=None):
        headers.append(_MARK)
        return start_response(status, headers, exc_info)
    return _APPLICATION(environ, start_marked)

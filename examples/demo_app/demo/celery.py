"""The demo's celery app: settings from Django's (the CELERY_ names), tasks from the apps.

The worker runs on the web hosts under supervisor (django_app_programs):
    celery -A demo worker
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

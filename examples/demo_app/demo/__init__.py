# The celery app is loaded with Django, so @shared_task uses it (celery's documented layout).
from .celery import app as celery_app

__all__ = ("celery_app",)

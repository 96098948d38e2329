"""Celery tasks of the demo (run by the worker, not by gunicorn)."""

import os
import socket

from celery import shared_task


@shared_task
def reverse_text(text):
    """Answer with the text reversed and where it was done (host, process, and the release whose
    environment the worker runs with, DJANGO_AWS_RELEASE from django_app): proof the worker ran it."""
    return {
        "reversed": text[::-1],
        "worker_host": socket.gethostname(),
        "worker_pid": os.getpid(),
        "worker_release": os.environ.get("DJANGO_AWS_RELEASE", ""),
    }

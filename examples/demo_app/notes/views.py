import secrets

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from .forms import NoteForm
from .models import Note
from .tasks import reverse_text

PAGE_SIZE = 50


@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    """List the newest notes; a POST adds one (then redirects: no double submit)."""
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            form.save()
            return redirect("index")
        status = 400
    else:
        form = NoteForm()
        status = 200
    context = {
        "form": form,
        "notes": Note.objects.all()[:PAGE_SIZE],
        "count": Note.objects.count(),
    }
    return render(request, "notes/index.html", context, status=status)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def worker(request):
    """A round trip through the celery worker: send a task, wait for its answer.

    200 with the worker's answer; 503 when no broker is configured or it cannot be reached;
    504 when no worker answers in time.
    """
    if not settings.CELERY_BROKER_URL:
        return JsonResponse({"status": "error", "error": "no broker configured (REDIS_URL is empty)"}, status=503)
    text = request.GET.get("text") or secrets.token_hex(8)
    if len(text) > 64:
        return JsonResponse({"status": "error", "error": "text: at most 64 characters"}, status=400)
    try:
        # A task nobody picks up in time is dropped, not left queued (with no worker running,
        # each request would otherwise add one for ever).
        result = reverse_text.apply_async([text], expires=settings.WORKER_ANSWER_TIMEOUT)
        answer = result.get(timeout=settings.WORKER_ANSWER_TIMEOUT)
    except CeleryTimeoutError:
        return JsonResponse(
            {"status": "error", "error": f"no worker answered within {settings.WORKER_ANSWER_TIMEOUT} s"}, status=504
        )
    except (BrokerError, RedisError, OSError) as exc:
        return JsonResponse({"status": "error", "error": f"broker unreachable: {exc.__class__.__name__}"}, status=503)
    return JsonResponse({"status": "ok", "sent": text, "task_id": result.id, **answer})

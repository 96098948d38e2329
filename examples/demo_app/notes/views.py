from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import NoteForm
from .models import Note

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

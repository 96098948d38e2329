from django.contrib import admin
from django.urls import path

from notes import views

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("worker", views.worker, name="worker"),
    path("admin/", admin.site.urls),
]

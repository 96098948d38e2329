"""A model with an uploaded file: the test's own app in the startproject project."""
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    picture = models.FileField(upload_to="items/")

    def __str__(self):
        return self.name

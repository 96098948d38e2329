from django.db import models


class Note(models.Model):
    """A line of text someone left on the demo page."""

    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text

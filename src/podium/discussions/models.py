"""Comments on the objects of a program, their files and whom they mention.

A :class:`Comment` belongs to one object of a program, named by its kind and id (the
kinds are listed in :mod:`podium.discussions.targets`: activity, deliverable, risk,
change request, feedback item, benefit, decision). Its text is markdown; the sanitised
HTML is stored next to it when the comment is written or edited. Removing a comment
keeps the row (shown as "comment removed") and empties its text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program

__all__ = ["Comment", "CommentAttachment", "Kind", "Mention"]


class Kind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    DELIVERABLE = "deliverable", "Deliverable"
    RISK = "risk", "Risk"
    CHANGE_REQUEST = "changerequest", "Change request"
    FEEDBACK = "feedback", "Feedback item"
    BENEFIT = "benefit", "Benefit"
    DECISION = "decision", "Decision"


class Comment(BaseModel):
    """One comment in the thread of one object."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="comments")
    target_kind = models.CharField(max_length=16, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField()
    # The object's component when it was written (the first one, by code, of an object
    # that touches several): the activity feed filters comments by it.
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="comments",
    )  # fmt: skip
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["program", "target_kind", "target_id", "created_at"]),
            models.Index(fields=["program", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"comment #{self.pk} on {self.target_kind} {self.target_id}"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"


def attachment_path(instance: CommentAttachment, filename: str) -> str:
    return f"discussions/{instance.comment.program_id}/{instance.comment_id}/{filename}"


class CommentAttachment(BaseModel):
    """A file given with a comment (size and type checked by the service)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["comment", "id"]

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """Someone named with ``@username`` in a comment; ``notified`` is False when they
    could not see the object (they were told nothing and their name is not a link)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["comment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="mention_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.comment_id}"

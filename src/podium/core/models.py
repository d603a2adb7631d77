"""Base model, audit trail and background jobs."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """Id, timestamps, who created/changed it, and a version for optimistic concurrency.

    ``version`` starts at 1 and goes up by one with every accepted change; a write that
    names an older version is refused (see :func:`podium.core.services.update_versioned`).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class ImmutableError(Exception):
    pass


class AuditRecord(models.Model):
    """One accepted change: what object, what action, the fields before and after, who, when.

    Audit records are written by service functions in the same transaction as the change
    and are never updated or deleted.
    """

    class Action(models.TextChoices):
        CREATE = "create", "created"
        UPDATE = "update", "updated"
        DELETE = "delete", "deleted"
        TRANSITION = "transition", "moved"
        IMPORT = "import", "imported"
        COMPUTE = "compute", "computed"
        TOKEN = "token", "token"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)  # "programs.component"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    program_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            # a program's newest record (the dashboard's freshness key, on every read)
            # and its history, newest first, without sorting all of its records
            models.Index(fields=["program_id", "-id"], name="core_audit_program_newest"),
            models.Index(fields=["program_id", "-at", "-id"], name="core_audit_program_history"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("audit records cannot be deleted")

    @property
    def object_label(self) -> str:
        """The kind of object as people say it ("meeting attendee"), from its model."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field that differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Job(models.Model):
    """A long-running piece of work (leveling, simulation, import, report).

    The work itself runs as a task of Django's tasks framework (database queue, run by
    ``podium worker``, or a worker thread inside ``podium demo``); this row is what users
    see: status, progress, message and result.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    program_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    link = models.CharField(max_length=300, blank=True)  # the page the job belongs to
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life of a running job (start and every progress report): a job whose
    # worker was killed stops beating and is marked failed by ``core.sweep``.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def done(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class PeriodicRun(models.Model):
    """When a periodic job (digests, scheduled reports) was last started; the scheduler
    starts it again once its interval has passed."""

    name = models.CharField(max_length=64, unique=True)
    last_started_at = models.DateTimeField()
    last_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.name} (last started {self.last_started_at:%Y-%m-%d %H:%M})"

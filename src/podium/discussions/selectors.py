"""Reads: threads (only for those who may read their object) and the activity feed.

The activity feed of a program merges what changed (its audit records, narrowed exactly
like :func:`podium.programs.selectors.program_history` — no cost records without the
cost right, no private records — and, further, none of the apps whose objects the
reader may not see, see :func:`podium.discussions.targets.hidden_apps`) with the
comments of the threads the reader may read, newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast

from podium.core.errors import NotFound
from podium.core.models import AuditRecord
from podium.discussions.components import component_records
from podium.discussions.models import Comment
from podium.discussions.services import comment_url
from podium.discussions.targets import (
    TARGETS,
    can_view,
    get_target,
    hidden_apps,
    visible_kinds,
)
from podium.programs.models import Component, Program
from podium.programs.selectors import program_history

__all__ = [
    "WHAT",
    "FeedEntry",
    "comment_count",
    "feed",
    "feed_entries",
    "get_comment_for",
    "get_thread_target",
    "latest_comments",
    "thread",
]

WHAT = ("changes", "comments")


def get_thread_target(user: Any, program: Program, kind: str, pk: int) -> Any:
    """The object of a thread, if ``user`` may read it (else 404 like a missing one)."""
    obj = get_target(program, kind, pk)
    if obj is None or not can_view(user, obj):
        raise NotFound(f"No {kind} {pk} in {program.code}.")
    return obj


def _of(obj: Any) -> QuerySet[Comment]:
    from podium.discussions.targets import kind_of

    return Comment.objects.filter(
        program_id=obj.program_id, target_kind=kind_of(obj), target_id=obj.pk
    )


def thread(obj: Any) -> QuerySet[Comment]:
    """Every comment on ``obj``, oldest first (removed ones included)."""
    return (
        _of(obj)
        .select_related("author", "program", "deleted_by")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def comment_count(obj: Any) -> int:
    return _of(obj).filter(deleted_at__isnull=True).count()


def latest_comments(obj: Any, limit: int = 3) -> list[Comment]:
    """The last ``limit`` comments still standing, oldest of them first."""
    qs = _of(obj).filter(deleted_at__isnull=True).select_related("author", "program")
    return list(reversed(qs.order_by("-created_at", "-id")[:limit]))


def get_comment_for(user: Any, program: Program, pk: int) -> tuple[Comment, Any]:
    """(comment, its object) when ``user`` may read the object; else 404."""
    comment = (
        Comment.objects.select_related("program", "author").filter(program=program, pk=pk).first()
    )
    if comment is None:
        raise NotFound(f"No comment {pk}.")
    obj = get_target(program, comment.target_kind, comment.target_id)
    if obj is None or not can_view(user, obj):
        raise NotFound(f"No comment {pk}.")
    return comment, obj


# -- the activity feed ----------------------------------------------------------------------


def _records(
    user: Any, program: Program, component: Component | None, person: int | None, kind: str
) -> QuerySet[AuditRecord]:
    qs = program_history(program, user).exclude(object_type__startswith="discussions.")
    for app in hidden_apps(user, program):
        qs = qs.exclude(object_type__startswith=f"{app}.")
    if component is not None:
        qs = qs.filter(component_records(component))
    if person is not None:
        qs = qs.filter(user_id=person)
    if kind:
        qs = qs.filter(object_type__in=TARGETS[kind].audit_types)
    return qs


def _comments(
    user: Any, program: Program, component: Component | None, person: int | None, kind: str
) -> QuerySet[Comment]:
    kinds = visible_kinds(user, program)
    if kind:
        kinds = [k for k in kinds if k == kind]
    qs = Comment.objects.filter(program=program, target_kind__in=kinds)
    if component is not None:
        qs = qs.filter(component=component)
    if person is not None:
        qs = qs.filter(author_id=person)
    return qs


def feed(
    user: Any,
    program: Program,
    *,
    component: Component | None = None,
    person: int | None = None,
    kind: str = "",
    what: str = "",
) -> QuerySet[Any]:
    """(entry, id, when) rows, newest first: ``entry`` is 0 for a change (audit record
    id) and 1 for a comment (comment id). Page it, then :func:`feed_entries`."""
    kind = kind if kind in TARGETS else ""
    parts: list[QuerySet[Any]] = []
    if what != "comments":
        parts.append(
            _records(user, program, component, person, kind)
            .order_by()
            .annotate(entry=Value(0, IntegerField()), ref=Cast("id", IntegerField()), when=F("at"))
            .values_list("entry", "ref", "when")
        )
    if what != "changes":
        parts.append(
            _comments(user, program, component, person, kind)
            .order_by()
            .annotate(
                entry=Value(1, IntegerField()), ref=Cast("id", IntegerField()), when=F("created_at")
            )
            .values_list("entry", "ref", "when")
        )
    if len(parts) == 1:
        return parts[0].order_by("-when", "-ref")
    return parts[0].union(parts[1], all=True).order_by("-when", "-ref")


@dataclass
class FeedEntry:
    when: dt.datetime
    record: AuditRecord | None = None
    comment: Comment | None = None
    label: str = ""  # the comment's object
    url: str = ""  # the comment's place in its thread


def feed_entries(rows: Any) -> list[FeedEntry]:
    """The page's rows as entries, with their records, comments and objects loaded."""
    rows = list(rows)
    record_ids = [ref for entry, ref, _ in rows if entry == 0]
    comment_ids = [ref for entry, ref, _ in rows if entry == 1]
    records = AuditRecord.objects.select_related("user").in_bulk(record_ids)
    comments = (
        Comment.objects.select_related("author", "program")
        .prefetch_related("attachments")
        .in_bulk(comment_ids)
    )
    wanted: dict[str, set[int]] = {}
    for c in comments.values():
        wanted.setdefault(c.target_kind, set()).add(c.target_id)
    objects: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        target = TARGETS[kind]
        qs = target.model._default_manager.select_related(*target.related).filter(pk__in=ids)
        for found in qs:
            objects[(kind, found.pk)] = found
    entries: list[FeedEntry] = []
    for entry, ref, when in rows:
        if entry == 0 and ref in records:
            entries.append(FeedEntry(when, record=records[ref]))
        elif entry == 1 and ref in comments:
            c = comments[ref]
            obj = objects.get((c.target_kind, c.target_id))
            label = TARGETS[c.target_kind].label(obj) if obj is not None else "a removed object"
            entries.append(FeedEntry(when, comment=c, label=label, url=comment_url(c)))
    return entries

"""Writing in threads: post, edit and remove comments, with their files and mentions.

A mention tells the mentioned person (category "mentions", linking to the comment)
only when they may read the object: someone who may not gets no notification, no
e-mail, no digest line, and their name stays plain text in the comment; the author is
told they were not notified. Earlier participants of the thread who still read the
object hear of a new comment (category "updates"). Every change writes an audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import NotFound, ValidationFailed
from podium.core.services import update_versioned
from podium.discussions.access import can_comment, can_edit, can_remove
from podium.discussions.models import Comment, CommentAttachment, Mention
from podium.discussions.rendering import mention_names, render, split_name
from podium.discussions.targets import TARGETS, can_view, kind_of
from podium.feedback.services import check_attachment
from podium.programs.permissions import require

__all__ = [
    "MAX_BODY",
    "Posted",
    "comment_url",
    "edit_comment",
    "post_comment",
    "remove_comment",
    "thread_url",
]

MAX_BODY = 20_000
_SNAPSHOT = ("target_kind", "target_id", "author", "body", "component")


@dataclass
class Posted:
    """A written comment, and the people it mentions who were not told (they may not
    read the object)."""

    comment: Comment
    not_notified: list[str] = field(default_factory=list)


def thread_url(obj: Any) -> str:
    kind = kind_of(obj)
    return reverse("discussions:thread", args=[obj.program.code, kind, obj.pk])


def comment_url(comment: Comment) -> str:
    base = reverse(
        "discussions:thread",
        args=[comment.program.code, comment.target_kind, comment.target_id],
    )
    return f"{base}#{comment.anchor}"


def _snapshot(comment: Comment) -> dict[str, Any]:
    return audit.snapshot(comment, _SNAPSHOT)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": ["Write something: a comment cannot be empty."]})
    if len(body) > MAX_BODY:
        raise ValidationFailed({"body": [f"A comment may be at most {MAX_BODY} characters."]})
    return body


def _mentioned(body: str, obj: Any) -> tuple[list[User], list[User]]:
    """(who may read ``obj``, who may not) among the known users ``body`` mentions."""
    raw = mention_names(body)
    candidates = {n for r in raw for n in (r, r.rstrip(".@+-")) if n}
    known = {u.username: u for u in User.objects.filter(username__in=candidates)}
    readers: dict[str, User] = {}
    others: dict[str, User] = {}
    for name in raw:
        found = split_name(name, known)
        if found is None:
            continue
        user = known[found[0]]
        (readers if can_view(user, obj) else others)[user.username] = user
    return list(readers.values()), list(others.values())


def _links(obj: Any, readers: Iterable[User]) -> dict[str, str]:
    members = reverse("programs:members", args=[obj.program.code])
    return {u.username: members for u in readers}


def _excerpt(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 300 else text[:297] + "…"


def _tell_mentioned(actor: Any, comment: Comment, obj: Any, users: Iterable[User]) -> set[int]:
    from podium.notifications.services import notify

    label = TARGETS[comment.target_kind].label(obj)
    noun = TARGETS[comment.target_kind].noun.lower()
    told: set[int] = set()
    for user in users:
        if user.pk == getattr(actor, "pk", None):
            continue
        if notify(
            user=user, title=f"{actor} mentioned you on {noun} {label}",
            body=_excerpt(comment.body), url=comment_url(comment), program=comment.program,
            category="mentions",
        ) is not None:  # fmt: skip
            told.add(user.pk)
    return told


def _tell_participants(actor: Any, comment: Comment, obj: Any, skip: set[int]) -> None:
    from podium.notifications.services import notify

    label = TARGETS[comment.target_kind].label(obj)
    earlier = (
        User.objects.filter(
            comments__program=comment.program,
            comments__target_kind=comment.target_kind,
            comments__target_id=comment.target_id,
            comments__deleted_at__isnull=True,
            is_active=True,
        )
        .exclude(pk__in=skip | {getattr(actor, "pk", 0)})
        .distinct()
    )
    for user in earlier:
        if can_view(user, obj):
            notify(
                user=user, title=f"{actor} commented on {label}", body=_excerpt(comment.body),
                url=comment_url(comment), program=comment.program, category="updates",
            )  # fmt: skip


def _check_files(attachments: Sequence[UploadedFile]) -> None:
    errors: list[str] = []
    for upload in attachments:
        try:
            check_attachment(upload)
        except ValidationFailed as exc:
            errors.extend(exc.errors["attachment"])
    if errors:
        raise ValidationFailed({"attachment": errors})


def _save_files(actor: Any, comment: Comment, attachments: Sequence[UploadedFile]) -> None:
    saved: list[tuple[Storage, str]] = []
    try:
        for upload in attachments:
            _, content_type = check_attachment(upload)
            name = PurePath(upload.name or "attachment").name
            attachment = CommentAttachment(
                comment=comment, name=name[:200], size=upload.size or 0,
                content_type=content_type, created_by=actor, updated_by=actor,
            )  # fmt: skip
            attachment.file.save(name, upload, save=False)
            saved.append((attachment.file.storage, attachment.file.name or ""))
            attachment.save()
            audit.record(
                user=actor, action="create", obj=attachment, before=None,
                after={"comment": comment.pk, "name": attachment.name, "size": attachment.size},
                program_id=comment.program_id,
            )  # fmt: skip
    except Exception:
        for storage, name in saved:
            storage.delete(name)
        raise


@transaction.atomic
def post_comment(
    *,
    actor: User,
    obj: Any,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Posted:
    """``actor`` comments on ``obj`` (markdown ``body``, files of at most 5 MB: pdf,
    png, jpg, txt, docx, xlsx, csv). ``at``: when it was written (the demo)."""
    kind = kind_of(obj)
    if kind is None or not can_view(actor, obj):
        raise NotFound("No such object.")
    require(can_comment(actor, obj), "You may read this thread but not write in it.")
    errors: dict[str, list[str]] = {}
    try:
        body = _clean_body(body)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        _check_files(attachments)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    readers, others = _mentioned(body, obj)
    components = TARGETS[kind].components(obj)
    comment = Comment.objects.create(
        program=obj.program, target_kind=kind, target_id=obj.pk,
        component_id=components[0] if components else None, author=actor, body=body,
        body_html=render(body, _links(obj, readers)), created_by=actor, updated_by=actor,
    )  # fmt: skip
    if at is not None:
        Comment.objects.filter(pk=comment.pk).update(created_at=at, updated_at=at)
        comment.created_at = comment.updated_at = at
    audit.record(
        user=actor, action="create", obj=comment, before=None, after=_snapshot(comment),
        program_id=comment.program_id,
    )  # fmt: skip
    _save_files(actor, comment, attachments)
    told = _tell_mentioned(actor, comment, obj, readers)
    Mention.objects.bulk_create(
        [Mention(comment=comment, user=u, notified=u.pk in told) for u in readers]
        + [Mention(comment=comment, user=u, notified=False) for u in others]
    )
    _tell_participants(actor, comment, obj, told | {u.pk for u in others})
    return Posted(comment, [u.username for u in others])


def _target_of(comment: Comment) -> Any:
    from podium.discussions.targets import get_target

    obj = get_target(comment.program, comment.target_kind, comment.target_id)
    if obj is None:
        raise NotFound(f"No comment {comment.pk}.")
    return obj


@transaction.atomic
def edit_comment(
    *, actor: User, comment: Comment, body: str, expected_version: int | None = None
) -> Posted:
    """The author rewrites their comment; people it now mentions for the first time
    are told (with the same rule as a new comment)."""
    obj = _target_of(comment)
    if not can_view(actor, obj):
        raise NotFound(f"No comment {comment.pk}.")
    require(can_edit(actor, comment), "Only its author edits a comment.")
    body = _clean_body(body)
    before = _snapshot(comment)
    readers, others = _mentioned(body, obj)
    updated = update_versioned(
        comment, expected_version, actor, body=body,
        body_html=render(body, _links(obj, readers)), edited_at=timezone.now(),
    )  # fmt: skip
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    already = set(Mention.objects.filter(comment=updated).values_list("user_id", flat=True))
    new_readers = [u for u in readers if u.pk not in already]
    new_others = [u for u in others if u.pk not in already]
    told = _tell_mentioned(actor, updated, obj, new_readers)
    Mention.objects.bulk_create(
        [Mention(comment=updated, user=u, notified=u.pk in told) for u in new_readers]
        + [Mention(comment=updated, user=u, notified=False) for u in new_others]
    )
    return Posted(updated, [u.username for u in others])


@transaction.atomic
def remove_comment(
    *, actor: User, comment: Comment, expected_version: int | None = None
) -> Comment:
    """Remove a comment (its author, or the program manager): the thread shows
    "comment removed"; its text and files are gone, the audit trail keeps the text."""
    obj = _target_of(comment)
    if not can_view(actor, obj):
        raise NotFound(f"No comment {comment.pk}.")
    require(can_remove(actor, comment), "Only its author or the program manager removes it.")
    before = _snapshot(comment)
    files = list(comment.attachments.all())
    updated = update_versioned(
        comment, expected_version, actor, body="", body_html="", deleted_at=timezone.now(),
        deleted_by=actor,
    )  # fmt: skip
    names = ", ".join(f.name for f in files)
    audit.record(
        user=actor, action="delete", obj=updated, before=before, after=None,
        program_id=updated.program_id,
        note=f"Removed with its files: {names}" if names else "",
    )  # fmt: skip
    stored = [(f.file.storage, f.file.name or "") for f in files]
    CommentAttachment.objects.filter(pk__in=[f.pk for f in files]).delete()

    def _drop() -> None:
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(_drop)
    return updated

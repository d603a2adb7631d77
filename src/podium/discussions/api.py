"""API endpoints of discussions: an object's comments (read, write as JSON or multipart
with a file, edit and remove one's own), a comment's file, and the activity feed.

A thread answers 404 to whoever may not read its object, like a missing one; writing
where one may only read answers 403. Every write is audited by the services.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import NotFound
from podium.core.views import AuthedRequest
from podium.discussions import selectors, services
from podium.discussions.models import Comment, CommentAttachment
from podium.discussions.schemas import (
    CommentIn,
    CommentOut,
    CommentPatch,
    DiscussionActivityFilter,
    FeedOut,
)
from podium.discussions.targets import TARGETS, can_view, get_target
from podium.programs.models import Program
from podium.programs.permissions import get_program

__all__ = ["router"]

router = Router(tags=["discussions"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}
THREAD = "/programs/{code}/discussions/{kind}/{object_id}/comments"


def comment_data(comment: Comment, not_notified: list[str] | None = None) -> dict[str, Any]:
    code = comment.program.code
    return {
        "id": comment.pk, "kind": comment.target_kind, "object_id": comment.target_id,
        "author": comment.author.username if comment.author else None,
        "body": comment.body, "html": comment.body_html, "created_at": comment.created_at,
        "edited_at": comment.edited_at, "removed": comment.deleted,
        "attachments": [
            {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type,
             "url": reverse("api:discussion_attachment", args=[code, a.pk])}
            for a in comment.attachments.all()
        ],
        "url": services.comment_url(comment), "version": comment.version,
        "not_notified": not_notified or [],
    }  # fmt: skip


class _Shown:
    """A queryset the paginator slices, shaped once on the page."""

    def __init__(self, qs: Any, shape: Any) -> None:
        self.qs = qs
        self.shape = shape

    def all(self) -> Any:
        return self.qs

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        shaped: list[dict[str, Any]] = self.shape(self.qs[page])
        return shaped


def _thread(request: AuthedRequest, code: str, kind: str, object_id: int) -> tuple[Program, Any]:
    program = get_program(request.user, code)
    return program, selectors.get_thread_target(request.user, program, kind, object_id)


def _comment(
    request: AuthedRequest, code: str, kind: str, object_id: int, comment_id: int
) -> Comment:
    program, obj = _thread(request, code, kind, object_id)
    comment, found = selectors.get_comment_for(request.user, program, comment_id)
    if found.pk != obj.pk or comment.target_kind != kind:
        raise NotFound(f"No comment {comment_id} on this {kind}.")
    return comment


def _out(comment: Comment, response: HttpResponse, not_notified: list[str]) -> Any:
    fresh = (
        Comment.objects.select_related("program", "author")
        .prefetch_related("attachments")
        .get(pk=comment.pk)
    )
    set_etag(response, fresh)
    return comment_data(fresh, not_notified)


@router.get(THREAD, response={200: list[CommentOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_comments(request: AuthedRequest, code: str, kind: str, object_id: int) -> Any:
    """The thread of one object, oldest first (removed comments show as removed)."""
    _, obj = _thread(request, code, kind, object_id)
    return _Shown(selectors.thread(obj), lambda rows: [comment_data(c) for c in rows])


@router.post(THREAD, response={201: CommentOut, **ERRORS})
def post_comment(
    request: AuthedRequest,
    code: str,
    kind: str,
    object_id: int,
    payload: CommentIn,
    response: HttpResponse,
) -> Any:
    """Comment (markdown; ``@username`` mentions). Files: use the multipart endpoint."""
    _, obj = _thread(request, code, kind, object_id)
    posted = services.post_comment(actor=request.user, obj=obj, body=payload.body)
    return Status(201, _out(posted.comment, response, posted.not_notified))


@router.post(f"{THREAD}/upload", response={201: CommentOut, **ERRORS})
def post_comment_with_file(
    request: AuthedRequest,
    code: str,
    kind: str,
    object_id: int,
    response: HttpResponse,
    body: Form[str] = "",
    attachment: File[UploadedFile | None] = None,
) -> Any:
    """Comment as a multipart form with one file (pdf, png, jpg, txt, docx, xlsx, csv;
    at most 5 MB; its content must match its extension)."""
    _, obj = _thread(request, code, kind, object_id)
    posted = services.post_comment(
        actor=request.user, obj=obj, body=body,
        attachments=[attachment] if attachment is not None else [],
    )  # fmt: skip
    return Status(201, _out(posted.comment, response, posted.not_notified))


@router.patch(f"{THREAD}/{{comment_id}}", response={200: CommentOut, **ERRORS})
def edit_comment(
    request: AuthedRequest,
    code: str,
    kind: str,
    object_id: int,
    comment_id: int,
    payload: CommentPatch,
    response: HttpResponse,
) -> Any:
    """Rewrite your own comment (If-Match or ``version`` to be refused when stale)."""
    comment = _comment(request, code, kind, object_id, comment_id)
    posted = services.edit_comment(
        actor=request.user, comment=comment, body=payload.body,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    return _out(posted.comment, response, posted.not_notified)


@router.delete(f"{THREAD}/{{comment_id}}", response={204: None, **ERRORS})
def remove_comment(
    request: AuthedRequest, code: str, kind: str, object_id: int, comment_id: int
) -> Any:
    """Remove your own comment (the program manager removes anyone's)."""
    comment = _comment(request, code, kind, object_id, comment_id)
    services.remove_comment(
        actor=request.user, comment=comment, expected_version=expected_version(request)
    )
    return Status(204, None)


@router.get(
    "/programs/{code}/discussions/attachments/{attachment_id}",
    response={200: None, **READ_ERRORS},
    url_name="discussion_attachment",
)
def download_attachment(request: AuthedRequest, code: str, attachment_id: int) -> Any:
    """Download a comment's file (whoever may read its thread)."""
    program = get_program(request.user, code)
    found = (
        CommentAttachment.objects.select_related("comment")
        .filter(pk=attachment_id, comment__program=program, comment__deleted_at__isnull=True)
        .first()
    )
    obj = (
        get_target(program, found.comment.target_kind, found.comment.target_id)
        if found is not None
        else None
    )
    if found is None or obj is None or not can_view(request.user, obj):
        raise NotFound(f"No attachment {attachment_id}.")
    with found.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=found.content_type)
    safe = "".join(c for c in found.name if c.isalnum() or c in "._- ") or "attachment"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _feed_data(rows: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for e in selectors.feed_entries(rows):
        if e.comment is not None:
            c = e.comment
            out.append({
                "type": "comment", "at": e.when,
                "user": c.author.username if c.author else None,
                "comment": comment_data(c), "about": e.label,
            })  # fmt: skip
        elif e.record is not None:
            r = e.record
            out.append({
                "type": "change", "at": e.when, "user": r.user.username if r.user else None,
                "action": r.action, "object_type": r.object_type, "object_repr": r.object_repr,
                "changes": {f: [old, new] for f, old, new in r.changes}, "note": r.note,
            })  # fmt: skip
    return out


@router.get("/programs/{code}/activity", response={200: list[FeedOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def activity(request: AuthedRequest, code: str, filters: Query[DiscussionActivityFilter]) -> Any:
    """What changed and what was said in the program, newest first (only what you may
    read); filter by component code, username, kind of object, changes or comments."""
    program = get_program(request.user, code)
    component = None
    if filters.component:
        component = program.components.filter(code=filters.component.strip().upper()).first()
        if component is None:
            raise NotFound(f"No component {filters.component!r} in {code}.")
    person = None
    if filters.person:
        person = User.objects.filter(username=filters.person).values_list("pk", flat=True).first()
        person = person or 0
    kind = filters.kind if filters.kind in TARGETS else ""
    rows = selectors.feed(
        request.user, program, component=component, person=person, kind=kind,
        what=filters.what,
    )  # fmt: skip
    return _Shown(rows, _feed_data)

"""API shapes of comments and the activity feed. People are usernames."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

__all__ = [
    "AttachmentOut",
    "CommentIn",
    "CommentOut",
    "CommentPatch",
    "DiscussionActivityFilter",
    "FeedOut",
]  # fmt: skip


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class CommentOut(Schema):
    id: int
    kind: str
    object_id: int
    author: str | None
    body: str = Field(description="markdown as written; empty once removed")
    html: str = Field(description="the sanitised HTML shown in the thread")
    created_at: dt.datetime
    edited_at: dt.datetime | None
    removed: bool
    attachments: list[AttachmentOut]
    url: str
    version: int
    not_notified: list[str] = Field(
        default_factory=list,
        description="mentioned people who were not told: they cannot see this item "
        "(only in the answer to a write)",
    )


class CommentIn(Schema):
    body: str


class CommentPatch(Schema):
    body: str
    version: int | None = None


class DiscussionActivityFilter(Schema):
    component: str = Field("", description="component code")
    person: str = Field("", description="username")
    kind: str = Field(
        "", description="activity, deliverable, risk, changerequest, feedback, benefit or decision"
    )
    what: str = Field("", description='"changes", "comments" or both (empty)')


class FeedOut(Schema):
    type: str = Field(description='"change" or "comment"')
    at: dt.datetime
    user: str | None
    # a change
    action: str | None = None
    object_type: str | None = None
    object_repr: str | None = None
    changes: dict[str, list[object]] | None = None
    note: str | None = None
    # a comment
    comment: CommentOut | None = None
    about: str | None = None

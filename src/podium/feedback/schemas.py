"""API shapes of feedback items, their steps and actions, and the service target.

People are usernames; components, deliverables and benefits are codes; actions and
risks are ids. ``submitted_by`` is null on anonymous items for everyone but the
submitter.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.feedback.models import ActionStatus, Category, FeedbackState

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category" or an "ActionStatus": the document knows this app's under these names.
FeedbackCategory = TypeAliasType("FeedbackCategory", Category)
FeedbackActionStatus = TypeAliasType("FeedbackActionStatus", ActionStatus)


class StepOut(Schema):
    action: str
    from_state: str
    to_state: FeedbackState
    actor: str | None
    note: str
    at: dt.datetime


class ActionRef(Schema):
    id: int
    title: str
    status: FeedbackActionStatus


class FeedbackOut(Schema):
    id: int
    reference: str
    program: str
    component: str | None
    deliverable: str | None
    benefit: str | None
    submitted_by: str | None = Field(None, description="null on anonymous items (but for you)")
    anonymous: bool
    group: str
    category: FeedbackCategory
    rating: int | None
    text: str
    state: FeedbackState
    declined_reason: str
    submitted_at: dt.datetime
    acknowledged_at: dt.datetime | None
    planned_at: dt.datetime | None
    implemented_at: dt.datetime | None
    verified_at: dt.datetime | None
    closed_at: dt.datetime | None
    declined_at: dt.datetime | None
    overdue: bool
    actions: list[ActionRef]
    risk: int | None
    change_request: int | None
    attachments: list[str]
    history: list[StepOut]
    version: int


class FeedbackIn(Schema):
    text: str = Field(..., description="what the feedback is; cannot be empty")
    category: FeedbackCategory = Category.OTHER
    rating: int | None = Field(None, ge=1, le=5)
    component: str = Field("", description="component code")
    deliverable: str = Field("", description="deliverable code")
    benefit: str = Field("", description="benefit code")
    anonymous: bool = False


class FeedbackFilter(Schema):
    state: FeedbackState | None = None
    component: str = Field("", description="component code")
    category: FeedbackCategory | None = None
    overdue: bool = False
    mine: bool = False
    q: str = ""


class NoteIn(Schema):
    note: str = ""
    version: int | None = None


class ImplementIn(NoteIn):
    explicit: bool = Field(False, description="even though linked actions are still open")


class FeedbackPlanIn(NoteIn):
    actions: list[int] = Field(default_factory=list, description="ids of actions to link")
    risk: int | None = Field(None, description="id of a risk of the program")
    change_request: int | None = Field(None, description="id of a change request of the program")


class DeclineIn(Schema):
    reason: str = ""
    version: int | None = None


class FeedbackActionOut(Schema):
    id: int
    program: str
    title: str
    description: str
    owner: str | None
    due_date: dt.date | None
    status: FeedbackActionStatus
    done_at: dt.datetime | None
    component: str | None
    items: list[int]
    version: int


class FeedbackActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    owner: str | None = Field(None, description="username")
    due_date: dt.date | None = None
    status: FeedbackActionStatus = ActionStatus.OPEN
    component: str | None = Field(None, description="component code")


class FeedbackActionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    status: FeedbackActionStatus | None = None
    component: str | None = None
    version: int | None = None


class TargetOut(Schema):
    acknowledge_days: int
    close_days: int
    allow_anonymous: bool
    version: int


class FeedbackTargetIn(Schema):
    acknowledge_days: int | None = Field(None, ge=1, le=365)
    close_days: int | None = Field(None, ge=1, le=365)
    allow_anonymous: bool | None = None
    version: int | None = None


class FeedbackImportOut(Schema):
    imported: int
    ids: list[int]

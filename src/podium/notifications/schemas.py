"""API shapes of notifications and notification preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.notifications.models import Category, Mode

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category" or an "ActionStatus": the document knows this app's under these names.
NotificationCategory = TypeAliasType("NotificationCategory", Category)


class NotificationOut(Schema):
    id: int
    program: str | None = Field(None, description="program code")
    category: NotificationCategory
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None

    @staticmethod
    def resolve_program(obj: Any) -> str | None:
        return obj.program.code if obj.program_id else None


class NotificationFilter(Schema):
    unread: bool = Field(False, description="only unread notifications")


class PreferencesOut(Schema):
    feedback: Mode
    mentions: Mode
    assignments: Mode
    approvals: Mode
    overdue: Mode
    governance: Mode
    updates: Mode


class PreferencesIn(Schema):
    feedback: Mode | None = None
    mentions: Mode | None = None
    assignments: Mode | None = None
    approvals: Mode | None = None
    overdue: Mode | None = None
    governance: Mode | None = None
    updates: Mode | None = None

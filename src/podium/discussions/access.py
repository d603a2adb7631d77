"""Who may write in a thread, on top of :mod:`podium.discussions.targets` (who reads it).

- Whoever may read the object comments on it, except viewers (their role is read-only
  everywhere in Podium): team members, managers, stakeholders on what they see.
- An author edits and removes their own comments; the program manager (and an
  administrator) also removes anyone's. Nobody edits someone else's words.
- A removed comment stays removed: it cannot be edited again.
"""

from __future__ import annotations

from typing import Any

from podium.discussions.models import Comment
from podium.discussions.targets import can_view
from podium.programs.models import Role
from podium.programs.permissions import can_change_program, roles_in

__all__ = ["can_comment", "can_edit", "can_remove"]


def can_comment(user: Any, obj: Any) -> bool:
    return can_view(user, obj) and bool(roles_in(user, obj.program) - {Role.VIEWER})


def _own(user: Any, comment: Comment) -> bool:
    return comment.author_id is not None and comment.author_id == getattr(user, "pk", None)


def can_edit(user: Any, comment: Comment) -> bool:
    return not comment.deleted and _own(user, comment)


def can_remove(user: Any, comment: Comment) -> bool:
    if comment.deleted:
        return False
    return _own(user, comment) or can_change_program(user, comment.program)

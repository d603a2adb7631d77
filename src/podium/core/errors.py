"""Errors raised by service functions.

Pages, the API and the command line translate them: ``NotFound`` → 404,
``PermissionDenied`` → 403, ``ValidationFailed`` → 422 with field messages,
``VersionConflict`` → 412 with the current version, ``TransitionRefused`` → 409.
"""

from __future__ import annotations

__all__ = [
    "REFUSALS",
    "NotFound",
    "PermissionDenied",
    "PodiumError",
    "TransitionRefused",
    "ValidationFailed",
    "VersionConflict",
]


class PodiumError(Exception):
    """Base class of every error a service function raises on purpose."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(PodiumError):
    """The object does not exist, or the user may not see it (the two look the same)."""

    status = 404


class PermissionDenied(PodiumError):
    """The user may see the object but not do this to it."""

    status = 403


class ValidationFailed(PodiumError):
    """Input was refused; ``errors`` maps field names to messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]] | str, message: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        first = next(iter(errors.items()))
        super().__init__(message or f"{first[0]}: {first[1][0]}")


class VersionConflict(PodiumError):
    """Someone changed the object since the caller read it."""

    status = 412

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"The object was changed by someone else (current version {current_version}); "
            "reload it and apply your change again."
        )
        self.current_version = current_version


class TransitionRefused(PodiumError):
    """A lifecycle transition is not allowed from the current state."""

    status = 409


# Refusals a page shows as a message next to the form, as opposed to 403/404 pages.
REFUSALS = (ValidationFailed, VersionConflict, TransitionRefused)

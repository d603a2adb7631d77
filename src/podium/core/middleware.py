from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from podium.core.request_context import new_request_id, reset_request_id, set_request_id

_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane ``X-Request-ID``), echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else new_request_id()
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


def max_request_bytes() -> int:
    """The largest request body accepted: the import limit (``PODIUM_MAX_IMPORT_MB``)
    plus 1 MB for the form fields around the file."""
    return int((float(getattr(settings, "PODIUM_MAX_IMPORT_MB", 50)) + 1) * 2**20)


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than any upload Podium
    accepts, before Django reads (and spools to disk) a byte of it. Also refuses the NUL
    character, which no stored text may hold (PostgreSQL refuses it): 404 in a path,
    400 in a page's query, 422 (by field) in an API body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # No stored name or code holds NUL (PostgreSQL refuses it): such an address names
        # nothing. The API refuses NUL in query parameters itself (422, by name).
        if "\x00" in request.path:
            return _refuse(request, 404, "Not found: the address contains the NUL character.")
        if "%00" in request.META.get("QUERY_STRING", "") and not request.path.startswith("/api/"):
            return _refuse(request, 400, "The address contains the NUL character.")
        limit = max_request_bytes()
        if length > limit:
            detail = (
                f"The request is {length / 2**20:.1f} MB; the largest accepted is "
                f"{limit / 2**20:.0f} MB (PODIUM_MAX_IMPORT_MB)."
            )
            return _refuse(request, 413, detail)
        if (
            request.path.startswith("/api/")
            and request.method in {"POST", "PUT", "PATCH"}
            and request.content_type == "application/json"
            # JSON can only carry NUL escaped, so most bodies need no second parse
            and b"\\u0000" in request.body
        ):
            try:
                where = nul_at(json.loads(request.body))
            except ValueError:
                where = None  # not JSON: the API answers 400 itself
            if where is not None:
                field = ".".join(where) or "__all__"
                message = "text may not contain the NUL character"
                return JsonResponse(
                    {"detail": f"{field}: {message}", "errors": {field: [message]}}, status=422
                )
        return self.get_response(request)


def nul_at(data: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where in parsed JSON (or a query) a text holds the NUL character, if anywhere."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            found = nul_at(key, (*path, str(key))) or nul_at(value, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(data, list):
        for i, value in enumerate(data):
            found = nul_at(value, (*path, str(i)))
            if found is not None:
                return found
    return None


def _refuse(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": {}}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")

from __future__ import annotations

import re
from collections.abc import Callable

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
    accepts, before Django reads (and spools to disk) a byte of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            detail = (
                f"The request is {length / 2**20:.1f} MB; the largest accepted is "
                f"{limit / 2**20:.0f} MB (PODIUM_MAX_IMPORT_MB)."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "errors": {}}, status=413)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

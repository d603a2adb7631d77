"""The JSON API: one NinjaAPI under /api/v1/, authentication, errors, ETags.

Authentication: ``Authorization: Bearer <token>`` (from ``podium token create``) or the
browser session (with its CSRF token for writes).

Errors are JSON: ``{"detail": "...", "errors": {"field": ["message", ...]}}``.
Concurrency: single objects carry ``ETag: "<version>"``; a write may send ``If-Match``
(or ``version`` in its body); a stale one answers 412 with ``current_version`` and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from podium.accounts.services import authenticate_token
from podium.core.errors import PodiumError, ValidationFailed, VersionConflict
from podium.core.middleware import nul_at

__all__ = ["WRITE_ERRORS", "ErrorOut", "Pages", "api", "expected_version", "set_etag"]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The signed-in browser session. CSRF is checked only when the session has a user:
    a request with no credentials at all answers 401, not a CSRF 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
    current_version: int | None = None


# The error answers a change can give, for an operation's ``response`` (OpenAPI): bad
# input, forbidden, hidden or missing, refused by the object's state, stale version.
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut, 422: ErrorOut,
}  # fmt: skip


class TextParser(Parser):
    """Query strings, refusing text with the NUL character (422, by name): no stored
    text may hold one (PostgreSQL refuses it). JSON bodies are checked by
    :class:`podium.core.middleware.RequestSizeLimitMiddleware`."""

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        where = nul_at(result)
        if where is not None:
            raise NinjaValidationError(
                [{"loc": ("query", *where), "msg": "text may not contain the NUL character"}]
            )
        return result


class PodiumAPI(NinjaAPI):
    """The API whose OpenAPI document also lists the answers every operation can give:
    401 without valid credentials, 403/404 where a path names an object, 400 for a body
    that is not JSON, and 422 for input that does not fit the declared parameters or
    body (ninja's validation)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        error = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        }
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation["responses"]
                responses.setdefault("401", {"description": "Unauthorized", **error})
                if any(p["in"] == "path" for p in operation.get("parameters", ())):
                    # an addressed object can be hidden or missing (404) or refuse this (403)
                    responses.setdefault("403", {"description": "Forbidden", **error})
                    responses.setdefault("404", {"description": "Not Found", **error})
                if operation.get("requestBody"):  # a body that is not JSON at all
                    responses.setdefault("400", {"description": "Bad Request", **error})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("422", {"description": "Unprocessable Content", **error})
        return schema


class Pages(PageNumberPagination):
    """Page-number pagination with a page number a database can still offset to."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)


api = PodiumAPI(
    title="Podium API",
    version="1",
    description=(
        "Program-delivery management. Authenticate with `Authorization: Bearer <token>` "
        "(`podium token create USERNAME`). Single objects carry an `ETag`; send it back "
        "as `If-Match` on writes to be refused (412) instead of overwriting someone "
        "else's change."
    ),
    urls_namespace="api",
    parser=TextParser(),
    auth=[BearerToken(), BrowserSession()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(PodiumError)
def _podium_error(request: HttpRequest, exc: PodiumError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = exc.errors
    response = _error(request, exc.status, exc.message, **extra)
    if isinstance(exc, VersionConflict):
        response = _error(request, exc.status, exc.message, current_version=exc.current_version)
        response["ETag"] = f'"{exc.current_version}"'
    return response


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query")]
        field = ".".join(loc) or "__all__"
        errors.setdefault(field, []).append(str(err.get("msg", "invalid")))
    first = next(iter(errors.items()))
    return _error(request, 422, f"{first[0]}: {first[1][0]}", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Authentication required: send a Bearer token.")
    response["WWW-Authenticate"] = 'Bearer realm="podium"'
    return response


def set_etag(response: HttpResponse, obj: Any) -> None:
    response["ETag"] = f'"{obj.version}"'


def expected_version(request: HttpRequest, body_version: int | None = None) -> int | None:
    """The version a write is conditional on: If-Match first, then ``version`` in the
    body, else None (unconditional)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise HttpError(412, f"If-Match {header!r} is not an ETag this API gave out.")
    return int(value)

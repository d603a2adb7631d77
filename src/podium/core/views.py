"""Shared page helpers: turning service errors into pages, messages and form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from podium.accounts.models import User
from podium.core.errors import NotFound, PermissionDenied, ValidationFailed
from podium.core.models import Job

__all__ = [
    "AuthedRequest",
    "add_form_errors",
    "health",
    "job_detail",
    "job_progress",
    "job_result",
    "page",
    "paginate_qs",
]


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Map NotFound to 404 and PermissionDenied to 403 for a page view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def add_form_errors(form: forms.BaseForm, exc: ValidationFailed) -> None:
    for field, msgs in exc.errors.items():
        target = field if field in form.fields else None
        for msg in msgs:
            form.add_error(target, msg if target else f"{field}: {msg}")


def paginate_qs(request: HttpRequest, qs: Any, per_page: int = 25) -> Any:
    from django.core.paginator import Paginator

    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _visible_job(request: AuthedRequest, pk: int) -> Job:
    jobs = Job.objects.all()
    if not getattr(request.user, "is_administrator", False):
        jobs = jobs.filter(created_by=request.user)
    return get_object_or_404(jobs, pk=pk)


def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    return render(request, "core/job_detail.html", {"job": _visible_job(request, pk)})


def job_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls until the job is done."""
    if not request.user.is_authenticated:
        raise Http404
    job = _visible_job(request, pk)
    return render(request, "core/_job_progress.html", {"job": job})


def job_result(request: AuthedRequest, pk: int) -> HttpResponse:
    """Download a finished job's result as JSON."""
    import json

    if not request.user.is_authenticated:
        return redirect("login")
    job = _visible_job(request, pk)
    if job.status != Job.Status.SUCCEEDED:
        raise Http404("This job has no result yet.")
    response = HttpResponse(
        json.dumps(job.result, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{job.kind}-{job.pk}.json"'
    return response


class AuthedRequest(HttpRequest):
    """A request that passed sign-in (pages behind ``login_required``, API with auth)."""

    user: User


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer or a monitor: 200 when this app server can reach the
    database, 503 when it cannot. No sign-in, and nothing said beyond that."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "no answer"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

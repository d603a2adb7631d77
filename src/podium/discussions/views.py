"""Pages of discussions: an object's thread (comments oldest first, the form to add one,
edit and remove one's own), a comment's file, and the program's activity feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.accounts.models import User
from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.discussions import selectors, services
from podium.discussions.access import can_comment, can_edit, can_remove
from podium.discussions.forms import CommentForm, EditForm, FeedFilter
from podium.discussions.models import CommentAttachment
from podium.discussions.targets import TARGETS, can_view, get_target
from podium.programs.permissions import get_program


def _not_notified(request: AuthedRequest, names: list[str]) -> None:
    for name in names:
        messages.warning(request, f"@{name} was not notified: they cannot see this item.")


@login_required
@page
def thread(request: AuthedRequest, code: str, kind: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    obj = selectors.get_thread_target(request.user, program, kind, pk)
    writer = can_comment(request.user, obj)
    form = CommentForm(request.POST or None, request.FILES or None) if writer else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("You may read this thread but not write in it.")
        if form.is_valid():
            upload = form.cleaned_data.get("attachment")
            try:
                posted = services.post_comment(
                    actor=request.user, obj=obj, body=form.cleaned_data["body"],
                    attachments=[upload] if upload else [],
                )  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, "Comment added.")
                _not_notified(request, posted.not_notified)
                return redirect(services.comment_url(posted.comment))
        status = 422
    target = TARGETS[kind]
    comments = list(selectors.thread(obj))
    for c in comments:
        c.may_edit = can_edit(request.user, c)  # type: ignore[attr-defined]
        c.may_remove = can_remove(request.user, c)  # type: ignore[attr-defined]
    return render(
        request,
        "discussions/thread.html",
        {
            "program": program,
            "obj": obj,
            "noun": target.noun,
            "label": target.label(obj),
            "object_url": target.url(obj),
            "comments": comments,
            "form": form,
        },
        status=status,
    )


@login_required
@page
def comment_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    comment, obj = selectors.get_comment_for(request.user, program, pk)
    if not can_edit(request.user, comment):
        raise NotFound(f"No comment {pk} of yours.")
    form = EditForm(
        request.POST or None, initial={"body": comment.body, "version": comment.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                posted = services.edit_comment(
                    actor=request.user, comment=comment, body=form.cleaned_data["body"],
                    expected_version=form.cleaned_data["version"],
                )  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Comment updated.")
                _not_notified(request, posted.not_notified)
                return redirect(services.comment_url(posted.comment))
        status = 422
    target = TARGETS[comment.target_kind]
    return render(
        request,
        "discussions/comment_edit.html",
        {
            "program": program,
            "comment": comment,
            "label": target.label(obj),
            "thread_url": services.thread_url(obj),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
@page
def comment_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    comment, _ = selectors.get_comment_for(request.user, program, pk)
    raw = request.POST.get("version", "")
    try:
        services.remove_comment(
            actor=request.user, comment=comment,
            expected_version=int(raw) if raw.isdigit() else None,
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Comment removed.")
    return redirect(services.comment_url(comment))


@login_required
@page
def attachment(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Download a comment's file (at most 5 MB, so read whole): whoever reads its thread."""
    program = get_program(request.user, code)
    found = (
        CommentAttachment.objects.select_related("comment")
        .filter(pk=pk, comment__program=program, comment__deleted_at__isnull=True)
        .first()
    )
    obj = (
        get_target(program, found.comment.target_kind, found.comment.target_id)
        if found is not None
        else None
    )
    if found is None or obj is None or not can_view(request.user, obj):
        raise NotFound(f"No attachment {pk}.")
    with found.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=found.content_type)
    safe = "".join(c for c in found.name if c.isalnum() or c in "._- ") or "attachment"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@page
def activity(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    filters = FeedFilter(request.GET or None, program=program)
    values = filters.cleaned_data if filters.is_valid() else {}
    component = program.components.filter(pk=values.get("component") or 0).first()
    username = request.GET.get("person", "").strip()
    person = None
    if username:  # an unknown name matches nothing
        person = User.objects.filter(username=username).values_list("pk", flat=True).first() or 0
    rows = selectors.feed(
        request.user, program, component=component, person=person,
        kind=values.get("kind") or "",
        what=values.get("what") or "",
    )  # fmt: skip
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    active = {
        "component": str(component.pk) if component else "",
        "person": username,
        "kind": values.get("kind") or "",
        "what": values.get("what") or "",
    }
    return render(
        request,
        "discussions/activity.html",
        {
            "program": program,
            "page_obj": page_obj,
            "entries": selectors.feed_entries(page_obj.object_list),
            "filter_form": filters if request.GET else FeedFilter(program=program),
            "filters": active,
            "filtered": any(active.values()),
        },
    )

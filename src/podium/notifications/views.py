"""Pages of the signed-in user's notifications and e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from podium.core.errors import ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.notifications import selectors, services
from podium.notifications.forms import PreferencesForm


@login_required
@page
def notification_list(request: AuthedRequest) -> HttpResponse:
    unread_only = request.GET.get("unread", "") == "1"
    qs = selectors.notifications_of(request.user, unread=unread_only)
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": paginate_qs(request, qs),
            "filters": {"unread": "1" if unread_only else ""},
            "unread_only": unread_only,
            "unread_total": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
@page
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one read and go to what it is about (or back to the list)."""
    notification = services.get_notification(request.user, pk)
    services.mark_read(request.user, notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
@page
def mark_all(request: AuthedRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, f"{count} notification(s) marked read.")
    return redirect("notifications:list")


@login_required
@page
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(request.user, dict(form.cleaned_data))
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})

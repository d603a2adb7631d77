"""Sign-in pages and the user's API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.accounts import services
from podium.core.views import AuthedRequest, page


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
    days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, help_text="Leave empty for no expiry."
    )


@login_required
@page
def tokens(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = services.create_token(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.tokens.filter(revoked_at__isnull=True),
        },
    )


@login_required
@require_POST
@page
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    services.revoke_token(actor=request.user, token_id=pk)
    messages.success(request, "Token revoked.")
    return redirect("tokens")

"""Sign-in pages and the user's API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.accounts import services
from podium.accounts.selectors import user_directory
from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs


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


class UserForm(forms.Form):
    username = forms.CharField(max_length=150)
    display_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 10 characters.")
    is_administrator = forms.BooleanField(required=False, label="Administrator (PMO)")


@login_required
@page
def users(request: AuthedRequest) -> HttpResponse:
    """Administrators list and add users."""
    if not request.user.is_administrator:
        raise PermissionDenied("Only an administrator can manage users.")
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                email=data["email"],
                display_name=data["display_name"],
                is_staff=data["is_administrator"],
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"User {user.username} created.")
            return redirect("users")
    directory = user_directory(request.GET.get("q", ""))
    return render(
        request,
        "accounts/users.html",
        {"form": form, "page_obj": paginate_qs(request, directory, 50),
         "filters": {"q": request.GET.get("q", "")}},
    )  # fmt: skip

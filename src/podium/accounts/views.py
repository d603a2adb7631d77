"""Sign-in pages, the user's API tokens, password and two-factor sign-in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from podium.accounts import services, twofactor
from podium.accounts.forms import (
    CodeForm,
    DisableTwoFactorForm,
    PasswordChangeForm,
    PasswordForm,
)
from podium.accounts.middleware import MFA
from podium.accounts.models import TotpDevice, User
from podium.accounts.selectors import users_for_administrators
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
            "two_factor_on": TotpDevice.objects.filter(
                user=request.user, confirmed_at__isnull=False
            ).exists(),
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
    directory = users_for_administrators(request.GET.get("q", ""))
    return render(
        request,
        "accounts/users.html",
        {"form": form, "page_obj": paginate_qs(request, directory, 50),
         "filters": {"q": request.GET.get("q", "")}, "require_2fa": settings.PODIUM_REQUIRE_2FA},
    )  # fmt: skip


@login_required
@require_POST
@page
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    """An administrator deactivates or reactivates a user."""
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(actor=request.user, user=user, active=active)
    except ValidationFailed as exc:
        messages.error(request, exc.message.removeprefix("__all__: "))
    else:
        messages.success(
            request, f"User {user.username} {'reactivated' if active else 'deactivated'}."
        )
    return redirect("users")


@login_required
@require_POST
@page
def user_reset_two_factor(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.reset_totp(actor=request.user, user=user)
    messages.success(request, f"Two-factor sign-in of {user.username} reset.")
    return redirect("users")


@login_required
@page
def password_change(request: AuthedRequest) -> HttpResponse:
    """Change one's password; other sessions end, this one stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revoked = services.change_password(
                actor=request.user,
                user=request.user,
                old_password=data["old_password"],
                new_password=data["new_password"],
                revoke_tokens=data["revoke_tokens"],
            )
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            note = f" {revoked} API token(s) revoked." if revoked else ""
            messages.success(
                request, "Password changed; your other sessions are signed out." + note
            )
            return redirect("tokens")
    return render(request, "accounts/password.html", {"form": form})


def _next_url(request: HttpRequest, default: str = "programs:list") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_required
@never_cache
@page
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Set up two-factor sign-in (secret, URI, QR code, first code), or see its state."""
    device = TotpDevice.objects.filter(user=request.user).first()
    context: dict[str, object] = {
        "required": settings.PODIUM_REQUIRE_2FA,
        "next": _next_url(request, "tokens"),
    }
    if device is not None and device.confirmed_at is not None:
        context |= {
            "device": device,
            "codes_left": request.user.recovery_codes.filter(used_at__isnull=True).count(),
            "disable_form": DisableTwoFactorForm(),
            "recovery_form": PasswordForm(),
        }
        return render(request, "accounts/two_factor.html", context)
    device = services.start_totp(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp(user=request.user, code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            request.session.cycle_key()
            request.session[MFA] = "ok"
            return render(request, "accounts/recovery_codes.html", context | {"codes": codes})
    secret = device.secret
    context |= {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "uri": twofactor.provisioning_uri(secret, request.user.get_username()),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@never_cache
def two_factor_qr(request: AuthedRequest) -> HttpResponse:
    """The QR code of an authenticator being set up (never of a confirmed one)."""
    device = get_object_or_404(TotpDevice, user=request.user, confirmed_at__isnull=True)
    uri = twofactor.provisioning_uri(device.secret, request.user.get_username())
    return HttpResponse(twofactor.qr_svg(uri), content_type="image/svg+xml")


@login_required
@require_POST
@page
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    form = DisableTwoFactorForm(request.POST)
    if form.is_valid():
        try:
            services.disable_totp(
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ValidationFailed as exc:
            messages.error(request, "; ".join(m for msgs in exc.errors.values() for m in msgs))
        else:
            request.session[MFA] = "none"
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("tokens")
    else:
        messages.error(request, "Enter your password and a code.")
    return redirect("accounts:two-factor")


@login_required
@require_POST
@never_cache
@page
def two_factor_recovery_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), for the password."""
    form = PasswordForm(request.POST)
    enrolled = TotpDevice.objects.filter(user=request.user, confirmed_at__isnull=False).exists()
    if not enrolled:
        return redirect("accounts:two-factor")
    if not form.is_valid() or not request.user.check_password(form.cleaned_data["password"]):
        messages.error(request, "This is not your password.")
        return redirect("accounts:two-factor")
    codes = services.new_recovery_codes(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next_url(request, "tokens")},
    )


@login_required
@never_cache
@page
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second sign-in step: a code from the authenticator or a recovery code."""
    if request.session.get(MFA) != "pending":
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.check_second_factor(user=request.user, code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        else:
            request.session.cycle_key()
            request.session[MFA] = "ok"
            if kind == "recovery":
                left = request.user.recovery_codes.filter(used_at__isnull=True).count()
                messages.warning(request, f"Recovery code used; {left} left.")
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})

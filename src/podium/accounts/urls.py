"""Account pages: password, two-factor sign-in, user administration."""

from django.urls import path

from podium.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/password/", views.password_change, name="password"),
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/two-factor/qr.svg", views.two_factor_qr, name="qr"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
    path(
        "account/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="recovery-codes",
    ),
    path("account/two-factor/verify/", views.two_factor_verify, name="verify"),
    path("users/<int:pk>/active/", views.user_active, name="user-active"),
    path("users/<int:pk>/reset-two-factor/", views.user_reset_two_factor, name="user-reset-2fa"),
]

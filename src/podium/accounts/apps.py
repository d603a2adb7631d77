from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "podium.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from podium.accounts.middleware import start_session

        def stamp(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            if request is not None and hasattr(request, "session"):
                start_session(request, user)

        user_logged_in.connect(stamp, dispatch_uid="podium.accounts.start_session", weak=False)

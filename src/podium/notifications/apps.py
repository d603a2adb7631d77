import datetime as dt

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "podium.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from podium.core.periodic import register_periodic
        from podium.notifications import services  # noqa: F401  (registers the digest job)

        register_periodic("notifications.digest", every=dt.timedelta(days=1))

import datetime as dt

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "podium.core"
    label = "core"
    verbose_name = "Podium core"

    def ready(self) -> None:
        from podium.core.periodic import register_periodic

        # Jobs left "running" by a killed worker, and uploads nobody will read any more.
        register_periodic("core.sweep", every=dt.timedelta(minutes=15))

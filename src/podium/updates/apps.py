import datetime as dt

from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "podium.updates"
    label = "updates"
    verbose_name = "Component status updates"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types
        from podium.core.navigation import register_program_tab
        from podium.core.periodic import register_periodic
        from podium.updates import services  # noqa: F401  (registers the reminders job)

        # An update's audit records carry its cost rating: for those who may see costs.
        register_cost_types("updates.componentupdate")
        register_program_tab("Component updates", "updates:overview", order=86)
        # From Friday, managers whose update of the week is missing are reminded (once).
        register_periodic("updates.reminders", every=dt.timedelta(days=1))

from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "podium.forecast"
    label = "forecast"
    verbose_name = "Forecast"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.forecast import services  # noqa: F401  (registers the job handler)

        register_program_tab("Forecast", "forecast:program", order=35)

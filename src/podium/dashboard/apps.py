from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "podium.dashboard"
    label = "dashboard"
    verbose_name = "Program dashboard and roadmap"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab

        register_program_tab("Dashboard", "dashboard:dashboard", order=1, group="")
        register_program_tab("Roadmap", "dashboard:roadmap", order=2, group="")

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "podium.programs"
    label = "programs"
    verbose_name = "Programs and components"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.programs import jobs  # noqa: F401  (registers job handlers)

        register_program_tab("Overview", "programs:detail", order=0)
        register_program_tab("Components", "programs:components", order=10)
        register_program_tab("Members", "programs:members", order=80)
        register_program_tab("History", "programs:history", order=90)

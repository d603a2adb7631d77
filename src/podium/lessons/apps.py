from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "podium.lessons"
    label = "lessons"
    verbose_name = "Lessons learned"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.governance.criteria import register_evaluator
        from podium.lessons.governance_hook import evaluate_session_held

        register_program_tab("Lessons", "lessons:program", order=85)
        register_evaluator(
            "lessons_session_held", "Lessons-learned session held", evaluate_session_held
        )

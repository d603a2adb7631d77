from typing import Any

from django import template

from podium.core.navigation import ProgramTab, tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def program_tabs_for(context: Any, program: Any) -> list[ProgramTab]:
    return tabs_for(context["request"].user, program)

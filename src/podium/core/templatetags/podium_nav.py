from typing import Any

from django import template
from django.urls import reverse

from podium.core.navigation import NavEntry, ProgramTab, program_nav, tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def program_tabs_for(context: Any, program: Any) -> list[ProgramTab]:
    return tabs_for(context["request"].user, program)


def _reverse(url_name: str, code: str) -> str:
    return reverse(url_name, kwargs={"code": code})


@register.simple_tag(takes_context=True)
def program_nav_for(context: Any, program: Any) -> list[NavEntry]:
    """The program tab bar's entries (tabs of their own and groups) for this page."""
    request = context["request"]
    return program_nav(request.user, program, request.path, _reverse)

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

from podium.core.navigation import NavEntry, ProgramTab, program_nav, tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def program_tabs_for(context: Any, program: Any) -> list[ProgramTab]:
    return tabs_for(context["request"].user, program)


def _reverse(url_name: str, code: str) -> str:
    return _reversed(get_script_prefix(), url_name, code)


@functools.lru_cache(maxsize=4096)
def _reversed(prefix: str, url_name: str, code: str) -> str:
    """A tab's URL, reversed once per process (every page draws some 25 tabs)."""
    return reverse(url_name, kwargs={"code": code})


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


@register.simple_tag(takes_context=True)
def program_nav_for(context: Any, program: Any) -> list[NavEntry]:
    """The program tab bar's entries (tabs of their own and groups) for this page."""
    request = context["request"]
    return program_nav(request.user, program, request.path, _reverse)

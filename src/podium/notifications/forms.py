"""The notification preferences form: one radio group per category."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.notifications.models import Category, Mode


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Mode.choices,
                widget=forms.RadioSelect,
                initial=current.get(category.value, Mode.IMMEDIATELY.value),
            )

"""``{% discussion_summary obj %}``: "Discussion (N)" and the last three comments of an
object's thread, for its detail page; nothing for someone who may not read the thread.

    {% include "discussions/_summary.html" with target=risk %}
"""

from __future__ import annotations

from typing import Any

from django import template

from podium.discussions.selectors import comment_count, latest_comments
from podium.discussions.services import thread_url
from podium.discussions.targets import can_view

register = template.Library()


@register.inclusion_tag("discussions/_summary_box.html", takes_context=True)
def discussion_summary(context: Any, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not can_view(user, obj):
        return {"show": False}
    return {
        "show": True,
        "count": comment_count(obj),
        "latest": latest_comments(obj),
        "thread_url": thread_url(obj),
    }

"""Markdown to safe HTML, and where mentions become links."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from podium.discussions.rendering import mention_names, render, split_name

LINKS = {"erik": "/programs/ALPHA/members/"}


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element of ``html`` with its attributes (escaped text is not an element)."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
        "![x](https://evil.example/pixel.png)",
        '[x](https://ok.example "t" onmouseover="alert(1)")',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_scripts_and_dangerous_links_never_come_through(body: str) -> None:
    tags = _tags(render(body, LINKS))
    assert {name for name, _ in tags} <= {"p", "a", "code", "em", "strong"}
    for _, attrs in tags:
        for attr, value in attrs:
            assert not attr.startswith("on")
            assert attr in {"href", "rel", "title", "class"}
            if attr == "href":
                assert (value or "").startswith(("https://", "http://", "mailto:", "/"))


def test_markdown_and_allowed_links() -> None:
    html = render("**bold** *it* `code`\n\n- one\n- two\n\n[doc](https://example.org/a?b=1)")
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.org/a?b=1" rel="nofollow noopener">doc</a>' in html
    assert 'href="mailto:pmo@example.org"' in render("[pmo](mailto:pmo@example.org)")
    assert "<a" not in render("[here](/programs/ALPHA/)")  # only http, https, mailto


def test_a_mention_links_only_when_allowed() -> None:
    html = render("Thanks @erik. And @nadia", LINKS)
    assert (
        '<a class="discussions-mention" href="/programs/ALPHA/members/" '
        'rel="nofollow noopener">@erik</a>.' in html
    )
    assert "@nadia" in html and 'href="/programs/ALPHA/members/">@nadia' not in html
    assert "discussions-mention" not in render("Thanks @erik", {})


def test_mentions_in_code_links_and_addresses_are_text() -> None:
    body = "`@erik` [@erik](https://x.example) erik@example.org @erik"
    assert mention_names(body) == ["erik"]
    html = render(body, LINKS)
    assert html.count("discussions-mention") == 1
    assert "<code>@erik</code>" in html


def test_usernames_with_django_characters() -> None:
    names = mention_names("@pm.alvarez, @tm_x+y-z and @a@b. at the end @cm.okafor.")
    assert names == ["pm.alvarez", "tm_x+y-z", "a@b.", "cm.okafor."]
    assert split_name("cm.okafor.", {"cm.okafor"}) == ("cm.okafor", ".")
    assert split_name("ghost", {"cm.okafor"}) is None

"""Comment text: markdown to safe HTML, and the ``@username`` mentions in it.

Markdown is parsed with markdown-it-py's CommonMark preset with raw HTML off, images
off and links accepted only to ``http``, ``https`` and ``mailto`` addresses; the HTML is
then cleaned by nh3 with a short allowlist of tags and attributes, every link gets
``rel="nofollow noopener"``. A mention (``@`` followed by the characters Django allows in
a username) becomes a link only when the caller says so (the mentioned person may see
the object); otherwise it stays plain text. Mentions inside links and code are text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["MENTION", "mention_names", "render", "split_name"]

# ``@`` + a username (letters, digits and @ . + - _), not inside a word or an address.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
_SCHEMES = ("http://", "https://", "mailto:")
_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def _valid_link(url: str) -> bool:
    return url.strip().lower().startswith(_SCHEMES)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")
    md.validateLink = _valid_link  # type: ignore[method-assign]
    return md


_MD = _parser()


def _texts(tokens: list[Token]) -> Iterator[tuple[Token, int, Token]]:
    """(inline token, index, child) for every text outside links and code."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = 0
        for i, child in enumerate(token.children):
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0:
                yield token, i, child


def mention_names(body: str) -> list[str]:
    """The names after each ``@`` in the text, in order, once each (as written: a
    trailing full stop may still be attached, see :func:`split_name`)."""
    names: dict[str, None] = {}
    for _, _, child in _texts(_MD.parse(body or "")):
        for match in MENTION.finditer(child.content):
            names.setdefault(match.group(1), None)
    return list(names)


def split_name(raw: str, known: Collection[str]) -> tuple[str, str] | None:
    """(username, the rest) when ``raw`` is a known username, or one followed by
    punctuation ("@erik." at the end of a sentence); None otherwise."""
    stripped = raw.rstrip(".@+-")
    for name in (raw, stripped):
        if name and name in known:
            return name, raw[len(name) :]
    return None


def _with_mentions(text: str, links: Mapping[str, str]) -> list[Token]:
    out: list[Token] = []
    last = 0
    for match in MENTION.finditer(text):
        found = split_name(match.group(1), links)
        if found is None:
            continue
        name, rest = found
        if match.start() > last:
            out.append(Token("text", "", 0, content=text[last : match.start()]))
        html = (
            f'<a class="discussions-mention" href="{escape(links[name])}">@{escape(name)}</a>'
            f"{escape(rest)}"
        )
        out.append(Token("html_inline", "", 0, content=html))
        last = match.end()
    if last < len(text):
        out.append(Token("text", "", 0, content=text[last:]))
    return out


def render(body: str, links: Mapping[str, str] | None = None) -> str:
    """Safe HTML of the markdown ``body``; ``links`` maps the usernames whose mentions
    become links to the address they link to."""
    tokens = _MD.parse(body or "")
    if links:
        for token, i, child in reversed(list(_texts(tokens))):
            assert token.children is not None
            token.children[i : i + 1] = _with_mentions(child.content, links)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes={"a": {"discussions-mention"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )

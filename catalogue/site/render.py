"""Safe Markdown: registry owners write descriptions in Markdown, and nothing active reaches a page.

markdown-it-py runs with raw HTML off (tags come out as text), images off (no tracking pixels or
`data:` payloads), and a link validator that lets through only http(s), mailto, fragments and
relative links. Headings are shifted down so a description cannot add a second page title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers ignore these characters inside a scheme ("java\tscript:"), so must we.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> bool:
    """True for http(s), mailto, fragment and relative URLs; false for every other scheme."""
    cleaned = _IGNORED.sub("", url)
    match = _SCHEME.match(cleaned)
    if match is None:
        # A relative reference; "&#" or "%" tricks would need a scheme to do harm.
        return ":" not in cleaned.split("/", 1)[0] and not cleaned.startswith("\\")
    return match.group(1).lower() in SAFE_SCHEMES


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "nofollow noopener")
    return self.renderToken(tokens, idx, options, env)


def _heading(shift: int):  # noqa: ANN202 - a renderer rule
    def rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
        return self.renderToken(tokens, idx, options, env)
    return rule


@cache
def _parser(shift: int) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = safe_url  # type: ignore[method-assign]
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("heading_open", _heading(shift))
    md.add_render_rule("heading_close", _heading(shift))
    return md


def markdown(text: str | None, heading_shift: int = 2) -> Markup:
    """Metadata Markdown as HTML that is safe to put in a page (h1 becomes h3 by default)."""
    if not text:
        return Markup("")
    return Markup(_parser(heading_shift).render(text))


def plain(text: str | None) -> str:
    """The text of Markdown without markup, for summaries and search metadata."""
    if not text:
        return ""
    tokens = _parser(0).parseInline(text) if "\n" not in text.strip() else _parser(0).parse(text)
    out: list[str] = []
    for tok in tokens:
        for child in tok.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
        if tok.type == "paragraph_close":
            out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()

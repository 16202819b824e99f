"""Safe Markdown: whatever a registry owner writes, nothing active reaches a page."""

from __future__ import annotations

import pytest

from catalogue.site.render import markdown, plain, safe_url
from tests.site_support import active_content

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(2)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    "![pixel](https://tracker.example.com/p.gif)",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<iframe src=https://evil.example.com></iframe>",
    '<svg onload="alert(1)"><circle/></svg>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "```html\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    "[x](file:///etc/passwd)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_active_survives(text):
    html = str(markdown(text))
    assert active_content(html) == [], html
    assert "<script" not in html and "<iframe" not in html and "<img" not in html


def test_raw_html_is_shown_as_text_not_dropped():
    assert str(markdown("Before <b>bold</b> after")) == "<p>Before &lt;b&gt;bold&lt;/b&gt; after</p>\n"


def test_ordinary_markdown_still_works():
    html = str(markdown("# Tittel\n\nEt **register** med [hjemmeside](https://example.no/) og "
                        "[e-post](mailto:post@example.no).\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h3>Tittel</h3>" in html  # h1 in a description would compete with the page title
    assert '<a href="https://example.no/" rel="nofollow noopener">hjemmeside</a>' in html
    assert 'href="mailto:post@example.no"' in html
    assert "<strong>register</strong>" in html and "<li>a</li>" in html and "<td>1</td>" in html


@pytest.mark.parametrize("url,ok", [
    ("https://example.no/", True), ("http://example.no", True), ("mailto:a@b.no", True),
    ("#access", True), ("../biobanks/x/", True), ("x/y.html", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("java\nscript:x", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False),
    ("JAVASCRIPT:x", False), ("\\\\evil\\share", False),
])
def test_the_link_validator(url, ok):
    assert safe_url(url) is ok


def test_plain_text_for_summaries():
    assert plain("Et **lite** register.\n\n- med [lenke](https://x.no)\n- og liste") == \
        "Et lite register. med lenke og liste"
    assert plain(None) == ""

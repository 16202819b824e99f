"""`robots.txt` at the site's root: crawling is welcome, and here are the sitemaps of both languages.

MkDocs writes one `sitemap.xml` per language build: the Bokmål site's at the root, the English
site's under `en/`. Search engines (Google Dataset Search among them) find every entry page
through them.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.site.i18n import LANGS, PREFIX


def text(base_url: str) -> str:
    """The file's content for a site served at `base_url`."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    sitemaps = "".join(f"Sitemap: {base}{PREFIX[lang]}sitemap.xml\n" for lang in LANGS)
    return "User-agent: *\nAllow: /\n\n" + sitemaps


def write(out: Path, base_url: str) -> Path:
    path = out / "robots.txt"
    path.write_text(text(base_url), encoding="utf-8")
    return path

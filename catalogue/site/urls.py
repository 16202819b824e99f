"""Where every page lives, and relative links between pages so the site works under any path.

Entry URLs are stable (`registries/<name>/`, `biobanks/<name>/`): harvesters and papers link to
them. Links are written relative to the page, so the site can be served from a sub-folder
(GitHub Pages) or opened from any host without knowing its address.
"""

from __future__ import annotations

from catalogue.format.kinds import entry_path
from catalogue.load import LoadedEntry

CATALOGUE = "catalogue/"
ORGANIZATIONS = "organizations/"
PLANNER = "planner/"


def entry(e: LoadedEntry) -> str:
    """The entry's page, e.g. `registries/norsk-hjerneslagregister/`."""
    return entry_path(e.kind, e.name)


def variable_anchor(resource: str, field: str) -> str:
    """The id of a variable's row on its entry's page, which search hits and the variables
    search link to (`#var-<resource>-<field>`)."""
    return f"var-{resource}-{field}"


def organization(org_id: str) -> str:
    return f"{ORGANIZATIONS}{org_id}/"


def rel(page: str, target: str) -> str:
    """`target` (a site path like `catalogue/`) as seen from `page` (a site path like `a/b/`)."""
    depth = page.count("/")
    up = "../" * depth
    return (up + target) or "./"


def root(page: str) -> str:
    """The site root as seen from `page`, without a trailing slash ("." at the root)."""
    return "/".join([".."] * page.count("/")) or "."

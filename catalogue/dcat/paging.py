"""The catalogue pages: a dcat:Catalog per page and a hydra:PagedCollection linking the pages.

Page 1 is `catalog.<ext>` at the root and page n is `catalog/page-<n>.<ext>`, so a static host
serves every page and a harvester that follows `hydra:next` reaches every dataset once.
"""

from __future__ import annotations

from math import ceil

from catalogue.dcat.agents import Agents
from catalogue.dcat.licences import by_code
from catalogue.dcat.rdf import Nodes, term, text, typed
from catalogue.dcat.uris import DcatConfig
from catalogue.dcat.vocab import DATA_THEME, Concepts


def page_count(entries: int, page_size: int) -> int:
    """How many pages `entries` datasets fill; an empty catalogue still has page 1."""
    return max(1, ceil(entries / page_size))


def catalog_nodes(config: DcatConfig, concepts: Concepts, agents: Agents, datasets: list[str],
                  modified: str | None, records: list[str] | None = None) -> Nodes:
    """The dcat:Catalog as one page shows it: the catalogue itself and that page's datasets."""
    g = Nodes()
    cat = config.catalog
    g.typed_as(cat, "dcat:Catalog")
    g.add(cat, term("dct:identifier"), text(cat))
    g.add(cat, term("dct:license"), concepts.licence(by_code(config.license)))
    for lang, title in config.title.items():
        g.add(cat, term("dct:title"), text(title, lang))
    for lang, description in config.description.items():
        g.add(cat, term("dct:description"), text(description, lang))
    g.add(cat, term("dct:publisher"), agents.catalogue_publisher())
    g.typed_as(config.base_url, "foaf:Document")
    g.add(cat, term("foaf:homepage"), config.base_url)
    g.add_all(cat, term("dct:language"), (concepts.language(lang) for lang in config.title))
    g.add(cat, term("dcatap:applicableLegislation"), concepts.legislation())
    g.add(cat, term("dcat:themeTaxonomy"), concepts.scheme(DATA_THEME))
    g.add(cat, term("dct:modified"), typed(modified, "date") if modified else None)
    g.add_all(cat, term("dcat:dataset"), datasets)
    g.add_all(cat, term("dcat:record"), records or [])
    return g


def hydra_nodes(config: DcatConfig, ext: str, page: int, pages: int, total: int) -> Nodes:
    """The paging links of page `page` (1-based) in the format with file extension `ext`."""
    g = Nodes()
    here = config.page_url(page, ext)
    g.typed_as(here, "hydra:PagedCollection")
    g.add(here, term("hydra:totalItems"), typed(total, "integer"))
    g.add(here, term("hydra:itemsPerPage"), typed(config.page_size, "integer"))
    g.add(here, term("hydra:first"), config.page_url(1, ext))
    g.add(here, term("hydra:last"), config.page_url(pages, ext))
    g.add(here, term("hydra:previous"), config.page_url(page - 1, ext) if page > 1 else None)
    g.add(here, term("hydra:next"), config.page_url(page + 1, ext) if page < pages else None)
    return g

"""Where things live: the export's settings and every URI and file path it mints.

URIs depend only on the base URL and the entry's UUID (or name, for pages), so they stay the
same from one build to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from catalogue.format.kinds import entry_url
from catalogue.load import LoadedEntry
from catalogue.settings import DEFAULT_BASE_URL

DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class DcatConfig:
    """Settings of one export; everything else comes from the catalogue."""

    base_url: str = DEFAULT_BASE_URL
    page_size: int = DEFAULT_PAGE_SIZE
    formats: tuple[str, ...] = ("ttl", "jsonld", "xml")
    title: dict[str, str] = field(default_factory=lambda: {
        "nb": "Katalog over helseregistre og biobanker",
        "en": "Catalogue of health registries and biobanks",
    })
    description: dict[str, str] = field(default_factory=lambda: {
        "nb": "Norske medisinske kvalitetsregistre, sentrale helseregistre og biobanker, "
              "og hvordan man får tilgang.",
        "en": "Norwegian medical quality registries, central health registries and biobanks, "
              "and how to get access.",
    })
    # Organisation id (metadata/organizations/) that publishes the catalogue itself; without
    # one, the catalogue is described as its own publisher.
    publisher: str | None = None
    # The licence of the catalogue's metadata (a code of the EU licence vocabulary, see
    # catalogue/dcat/licences.py); an entry that names no licence of its own inherits it.
    license: str = "CC_BY_4_0"

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        if self.page_size < 1:
            raise ValueError("page size must be at least 1")

    # --- the catalogue and its pages ------------------------------------------------------

    @property
    def catalog(self) -> str:
        return self.base_url + "#catalog"

    @property
    def catalog_publisher(self) -> str:
        return self.base_url + "#publisher"

    def page_path(self, page: int, ext: str) -> str:
        """Path of page `page` (1-based) relative to the output folder."""
        return f"catalog.{ext}" if page == 1 else f"catalog/page-{page}.{ext}"

    def page_url(self, page: int, ext: str) -> str:
        return self.base_url + self.page_path(page, ext)

    # --- datasets ----------------------------------------------------------------------------

    def dataset(self, entry_id: str) -> str:
        return f"{self.base_url}dataset/{entry_id}"

    def record(self, entry_id: str) -> str:
        """The dcat:CatalogRecord: the entry's metadata, as this catalogue holds it."""
        return f"{self.base_url}dataset/{entry_id}#record"

    def dataset_path(self, entry_id: str, ext: str) -> str:
        return f"dataset/{entry_id}.{ext}"

    def landing_page(self, entry: LoadedEntry) -> str:
        return entry_url(self.base_url, entry.kind, entry.name)

    def datapackage(self, entry: LoadedEntry) -> str:
        return self.landing_page(entry) + "datapackage.json"

    def access_page(self, entry: LoadedEntry) -> str:
        return self.landing_page(entry) + "#access"

    # --- things of our own that have no authority URI ----------------------------------------

    def vocabulary(self, name: str) -> str:
        return f"{self.base_url}vocabularies/{name}"

    def concept(self, vocabulary: str, term_id: str) -> str:
        return f"{self.base_url}vocabularies/{vocabulary}/{quote(term_id, safe='')}"

    def organization(self, org_id: str) -> str:
        """The site's page for an organisation; its contact point hangs off it."""
        return f"{self.base_url}organizations/{org_id}/"


def part(dataset: str, name: str) -> str:
    """A node that belongs to one dataset (a distribution, a table, a column, ...)."""
    return f"{dataset}#{quote(name, safe='-._~')}"

"""HealthDCAT-AP and DCAT-AP-NO: the catalogue as RDF for European and national portals.

    from catalogue.dcat import DcatConfig, export
    export(load_catalogue("metadata"), Path("site"), DcatConfig(base_url="https://example.org/"))

writes `catalog.ttl|jsonld|rdf` (page 1, linked to `catalog/page-<n>.*` by hydra) and
`dataset/<uuid>.*`. The mapping is described in docs/dcat.md. Its build step: `steps()`.
Owns: the RDF model (`rdf`), URIs (`uris`), vocabularies (`vocab`), agents, datasets and
variables, paging (`paging`), serialisation (`serialize`) and the export (`export`).
May import: `settings`, `errors`, `format`, `load`, and `build.context` (nothing else of the build).
"""

from catalogue.dcat.export import ExportResult, build_step, dataset_nodes, export, steps
from catalogue.dcat.serialize import FORMATS
from catalogue.dcat.uris import DcatConfig

__all__ = ["FORMATS", "DcatConfig", "ExportResult", "build_step", "dataset_nodes", "export",
           "steps"]

"""Small catalogues for the DCAT tests: the sample's stroke registry, varied, beside the fixtures.

Entries are changed as data (load, change, dump), not as text, so the tests survive edits to
the wording of the sample entry they start from.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT

from tests.conftest import FIXTURES, REPO

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

STROKE = REPO / "metadata" / "registries" / "norsk-hjerneslagregister"
ST_OLAV = REPO / "metadata" / "organizations" / "st-olavs-hospital.yaml"


def _stroke(root: Path, name: str, uuid: str, change: dict[str, Any]) -> None:
    folder = root / "registries" / name
    shutil.copytree(STROKE, folder)
    entry = yaml.safe_load((folder / "datapackage.yaml").read_text(encoding="utf-8"))
    entry.update({"id": uuid, "name": name, "data_controller": "st-olavs-hospital"})
    entry.pop("data_processor", None)
    for key, value in change.items():
        target = entry
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    (folder / "datapackage.yaml").write_text(
        yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")


def dcat_catalogue(root: Path) -> Path:
    """tests/fixtures/catalogue plus three copies of the stroke registry, one per access level.

    - `hjerteregister` (non-public, the data controller decides) and `hjertebiobank`
      (restricted, a biobank in one health region), from the shared fixture;
    - `slag-hds`: non-public, Helsedataservice decides, processed by another organisation;
    - `slag-restricted`: restricted, the data controller decides, with a Nynorsk translation;
    - `slag-public`: public, no permit needed.
    """
    shutil.copytree(FIXTURES / "catalogue", root)
    shutil.copy(ST_OLAV, root / "organizations" / "st-olavs-hospital.yaml")
    _stroke(root, "slag-hds", "6c1f0e47-8a43-4b1e-9d55-0f3c2b7a9e12", {"data_processor": "ntnu"})
    _stroke(root, "slag-restricted", "6c1f0e47-8a43-4b1e-9d55-0f3c2b7a9e13", {
        "access.access_rights": "restricted",
        "access.decided_by": "data-controller",
        "access.approvals": ["rek", "data-controller-approval"],
        "translations.nn": {"title": "Norsk hjerneslagregister (nynorsk)",
                            "description": "Eit nasjonalt register for pasientar med hjerneslag."},
    })
    _stroke(root, "slag-public", "6c1f0e47-8a43-4b1e-9d55-0f3c2b7a9e14", {
        "access.access_rights": "public",
        "access.decided_by": "data-controller",
        "access.approvals": ["data-controller-approval"],
    })
    return root


# --- SHACL: the HealthDCAT-AP Release 8 and DCAT-AP 3 shapes, offline ---------------------

# CI clones the repository with shared/ beside it; a missing folder fails there, skips here.
REFERENCE = REPO.parent / "shared" / "reference" / "healthdcat-ap"
LEVELS = {"PUBLIC": "public", "NON_PUBLIC": "non-public", "RESTRICTED": "restricted"}


def reference() -> Path:
    """The offline copy of the shapes; fails in CI (env CI set) when it is missing."""
    if not (REFERENCE / "healthdcat-ap-r8").is_dir():
        message = f"HealthDCAT-AP shapes not found at {REFERENCE}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REFERENCE


@cache
def shapes(level: str, dcat_ap: str = "3.0.0") -> Graph:
    """The shapes graph the HealthData@EU validator loads for `level`, as its README shows.

    `dcat_ap` picks DCAT-AP's core shapes.ttl: 3.0.0 (what Release 8 imports) or 3.0.1.
    HealthDCAT-AP's own deprecateduris.ttl is not in the folder; DCAT-AP's (warnings only)
    stands in for it.
    """
    ref = reference()
    h, d = ref / "healthdcat-ap-r8" / "validator", ref / "dcat-ap-3.0.0"
    files = [h / "shapes/graph-guard.ttl", d / "deprecateduris.ttl", h / "ranges/range.ttl",
             h / f"shapes/{level}-shapes.ttl", h / "controlled-vocabularies/mdr-vocabularies.shape.ttl",
             h / f"recommended/{level}-shapes_recommended.ttl",
             ref / f"dcat-ap-{dcat_ap}" / "shapes.ttl", d / "range.ttl", d / "shapes_recommended.ttl"]
    return _load(files)


def level_of(g: Graph, dataset: URIRef) -> str:
    """The shapes level that matches the dataset's own dct:accessRights."""
    rights = g.value(dataset, DCT.accessRights)
    assert rights is not None, f"{dataset} has no dct:accessRights"
    return LEVELS[str(rights).rsplit("/", 1)[-1]]


def violations(g: Graph, level: str, dcat_ap: str = "3.0.0") -> list[str]:
    """One line per failed constraint of severity Violation (warnings are allowed)."""
    _, report, _ = validate(g, shacl_graph=shapes(level, dcat_ap), inference="none",
                            do_owl_imports=False, allow_warnings=True)
    nested = set(report.objects(None, SH.detail))
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if r in nested or report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        found.append(f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
                     f"{report.value(r, SH.resultMessage)} ({report.value(r, SH.value)})")
    return sorted(found)


# --- the three profiles, one by one: DCAT-AP-NO v2.2, HealthDCAT-AP Release 8, DCAT-AP 3 ----

DCAT_AP_NO = Path(__file__).parent / "data" / "shacl" / "dcat-ap-no"


def _load(files: list[Path]) -> Graph:
    """The shapes in `files`, as one graph pySHACL accepts."""
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    # pySHACL rejects a property shape without sh:path: the Dataset rule "hasStructuredData
    # true => at least one hasVariables" is one. Re-attached as a node shape, it still applies.
    for parent, ps in list(g.subject_objects(SH.property)):
        if (ps, SH.path, None) not in g:
            g.remove((parent, SH.property, ps))
            g.add((ps, RDF.type, SH.NodeShape))
            for target in g.objects(parent, SH.targetClass):
                g.add((ps, SH.targetClass, target))
    return g


@cache
def profile_shapes(profile: str, level: str = "non-public") -> Graph:
    """The shapes of one profile: `dcat-ap-no`, `healthdcat-ap` (at `level`) or `dcat-ap-3`.

    DCAT-AP-NO's come from the tests' own data (tests/data/shacl/dcat-ap-no, Apache 2.0); it has
    no access levels. The others are the same files `shapes()` loads, split by who publishes
    them.
    """
    if profile == "dcat-ap-no":
        return _load([DCAT_AP_NO / "DCAT-AP-NO-shacl_shapes_2.00.ttl"])
    ref = reference()
    h, d = ref / "healthdcat-ap-r8" / "validator", ref / "dcat-ap-3.0.0"
    if profile == "healthdcat-ap":
        return _load([h / "shapes/graph-guard.ttl", h / "ranges/range.ttl",
                      h / f"shapes/{level}-shapes.ttl",
                      h / "controlled-vocabularies/mdr-vocabularies.shape.ttl",
                      h / f"recommended/{level}-shapes_recommended.ttl"])
    if profile == "dcat-ap-3":
        return _load([d / "shapes.ttl", d / "range.ttl", d / "shapes_recommended.ttl",
                      d / "deprecateduris.ttl"])
    raise ValueError(profile)


def findings(g: Graph, shapes_graph: Graph) -> dict[str, list[str]]:
    """Every failed constraint, one line each, by severity (`Violation`, `Warning`, `Info`)."""
    _, report, _ = validate(g, shacl_graph=shapes_graph, inference="none",
                            do_owl_imports=False, allow_warnings=True)
    nested = set(report.objects(None, SH.detail))
    found: dict[str, list[str]] = {"Violation": [], "Warning": [], "Info": []}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if r in nested:
            continue
        severity = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        found.setdefault(severity, []).append(
            f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
            f"{report.value(r, SH.resultMessage)} ({report.value(r, SH.value)})")
    return {k: sorted(v) for k, v in found.items()}


def level_views(g: Graph) -> dict[str, Graph]:
    """A page split by access level: each view leaves out the datasets of the other levels."""
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    by_level: dict[str, set] = {}
    for d in datasets:
        by_level.setdefault(level_of(g, d), set()).add(d)
    views = {}
    for level, keep in by_level.items():
        drop = {str(d) for d in datasets - keep}
        view = Graph()
        for s, p, o in g:
            if str(s).split("#")[0] in drop or str(o).split("#")[0] in drop:
                continue
            view.add((s, p, o))
        views[level] = view
    return views


HJERTEBIOBANK = FIXTURES / "catalogue" / "biobanks" / "hjertebiobank"


def full_catalogue(root: Path) -> Path:
    """dcat_catalogue() plus `slag-full` and `biobank-full`: every optional field filled in."""
    dcat_catalogue(root)
    _stroke(root, "slag-full", "6c1f0e47-8a43-4b1e-9d55-0f3c2b7a9e15", {
        "version": "3.1", "modified": "2025-06-30", "data_processor": "ntnu",
        "translations.nn": {"title": "Norsk hjerneslagregister (fullt)",
                            "description": "Eit register med alle valfrie felt fylte ut."},
        "coverage.end_year": 2024, "coverage.age_max": 110, "coverage.number_of_records": 250000,
        "coverage.geography": "helse-midt-norge",
        "linked_entries": ["slag-hds"],
        "publications": [{"title": "Stroke outcomes", "doi": "10.1000/xyz123", "year": 2020},
                         {"title": "Annual report", "url": "https://example.org/report"}],
    })
    folder = root / "biobanks" / "biobank-full"
    shutil.copytree(HJERTEBIOBANK, folder)
    entry = yaml.safe_load((folder / "datapackage.yaml").read_text(encoding="utf-8"))
    entry.update({"id": "4c3e2a10-9d8b-4f6e-8a7b-1e2d3c4b5a70", "name": "biobank-full",
                  "version": "2", "modified": "2025-01-31", "data_processor": "st-olavs-hospital",
                  "diseases": ["I21"], "coding_systems": ["ICD-10"], "purpose": "Research.",
                  "personal_data": ["health", "genetic"], "time_lag_days": 30,
                  "licenses": [{"name": "CC0-1.0",
                                "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
                  "publications": [{"title": "Cohort profile", "doi": "10.1000/abc", "year": 2021}]})
    entry["coverage"].update({"end_year": 2023, "age_min": 18, "age_max": 90,
                              "number_of_individuals": 1200, "number_of_records": 5000})
    entry["biobank"].update({"acronym": "HBF", "country": "NO", "number_of_samples": 9000,
                             "diseases": ["I21", "I25"], "collection_types": ["cohort", "longitudinal"],
                             "sex": ["female", "male"]})
    (folder / "datapackage.yaml").write_text(
        yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root

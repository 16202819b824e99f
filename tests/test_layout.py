"""The package's layout: imports point down the layers, packages form no cycle, facts live once.

Layers, lowest first (a module may import its own layer and those below):
settings/errors -> format -> privacy -> validation -> load -> build.context -> ckan/dcat/site/
bbmri/fdp
-> build -> authoring/devtools -> cli. Every import counts: top-level, inside functions and
under `TYPE_CHECKING`, so no lazy import can hide a dependency that points up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from catalogue.validation.registry import REGISTRY, declared_codes
from tests.conftest import REPO

PACKAGE = REPO / "catalogue"
# unit (a dotted prefix) -> layer; the longest matching prefix names a module's unit
LAYERS = {
    "catalogue": 0, "catalogue.settings": 0, "catalogue.errors": 0, "catalogue.packaged": 0,
    "catalogue.format": 1,
    "catalogue.privacy": 2,
    "catalogue.validation": 3,
    "catalogue.load": 4,
    "catalogue.build.context": 5,  # what the outputs are written against
    "catalogue.build.reuse": 5,  # what the outputs may take from the last build
    "catalogue.ckan": 6, "catalogue.dcat": 6, "catalogue.site": 6,
    "catalogue.bbmri": 6, "catalogue.fdp": 6,
    "catalogue.build": 7,
    "catalogue.authoring": 8, "catalogue.devtools": 8,
    "catalogue.cli": 9, "catalogue.__main__": 9,
}
OUTPUTS = ("catalogue.ckan", "catalogue.dcat", "catalogue.site", "catalogue.bbmri", "catalogue.fdp")
ROOT_MODULES = {"__init__.py", "__main__.py", "settings.py", "errors.py", "load.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str:
    """The layer unit a module belongs to: the longest prefix in LAYERS."""
    best = max((u for u in LAYERS if module == u or module.startswith(u + ".")), key=len)
    return best


def imports(path: Path) -> set[str]:
    """Every catalogue module `path` imports, wherever in the file the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}  # `from pkg import module`
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in known}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_the_root_holds_only_the_five_modules():
    assert {p.name for p in PACKAGE.glob("*.py")} == ROOT_MODULES


def test_every_module_has_a_layer():
    for module in graph():
        assert unit(module) in LAYERS, module


def test_no_import_points_up_the_layers():
    upward = []
    for module, targets in graph().items():
        for target in targets:
            if target == "catalogue":  # the package itself: only its version
                continue
            if LAYERS[unit(target)] > LAYERS[unit(module)]:
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(sorted(upward))


def test_outputs_import_only_the_builds_context():
    for module, targets in graph().items():
        if unit(module) in OUTPUTS:
            assert all(unit(t) != "catalogue.build" for t in targets), module


def test_packages_form_no_cycle():
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        edges.setdefault(unit(module), set()).update(unit(t) for t in targets if unit(t) != unit(module))
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                pytest.fail("cycle: " + " -> ".join([*path[path.index(nxt):], nxt]))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])


def test_the_checks_declare_exactly_the_codes_of_the_rules_table():
    rules = yaml.safe_load((REPO / "validators/rules.yaml").read_text(encoding="utf-8"))
    assert declared_codes() == set(rules)


def test_every_check_applies_to_known_files_and_has_a_unique_name():
    names = [c.name for c in REGISTRY]
    assert len(names) == len(set(names))
    for c in REGISTRY:
        assert c.codes and c.applies_to <= {"registry", "biobank", "organization", "catalogue"}, c


def test_the_validation_fingerprint_covers_every_validation_module(monkeypatch, tmp_path):
    """A new check module changes the cache key without being named anywhere."""
    from catalogue.validation import run

    before = run.fingerprint()
    run.fingerprint.cache_clear()
    new = PACKAGE / "validation" / "checks" / "zz_fingerprint_probe.py"
    new.write_text('"""A probe: any module here is part of the fingerprint."""\n', encoding="utf-8")
    try:
        assert run.fingerprint() != before
    finally:
        new.unlink()
        run.fingerprint.cache_clear()
    assert run.fingerprint() == before


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.iter_child_nodes(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def test_the_kind_folder_table_is_written_once():
    """Nowhere but format/kinds.py pairs a kind with its folder, or lists the entry folders."""
    holders = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                pairs = {(k.value, v.value) for k, v in zip(node.keys, node.values, strict=True)
                         if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)}
                if pairs & {("registry", "registries"), ("registries", "registry")}:
                    holders.add(str(path.relative_to(REPO)))
            elif (isinstance(node, ast.Tuple | ast.List | ast.Set | ast.IfExp)
                  and {"registries", "biobanks"} <= set(_strings(node))):
                holders.add(str(path.relative_to(REPO)))
    assert holders <= {"catalogue/format/kinds.py"}, holders


@pytest.mark.parametrize("fact, exact, allowed", [
    ("http://127.0.0.1:8000/", False, {"catalogue/settings.py"}),  # the default base URL
    ("CATALOGUE_DB_URL", False, {"catalogue/settings.py"}),
    ("CATALOGUE_BASE_URL", False, {"catalogue/settings.py"}),
    ("CATALOGUE_OUT", False, {"catalogue/settings.py"}),
    ("CATALOGUE_CACHE_MB", False, {"catalogue/settings.py"}),
    ("CATALOGUE_MODELS_MB", False, {"catalogue/settings.py"}),
    ("CATALOGUE_VALIDATORS", False, {"catalogue/settings.py"}),
    ("CATALOGUE_DEBUG", False, {"catalogue/settings.py"}),
    ("CATALOGUE_SEARCH_SHARD", False, {"catalogue/settings.py"}),
])
def test_each_fact_is_written_once(fact, exact, allowed):
    """Outside docstrings and `help=` texts, a fact has one home: every other module reads it."""
    holders = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                and n.body and isinstance(n.body[0], ast.Expr)}
        skip |= {id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call)
                 for k in n.keywords if k.arg == "help"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and (node.value == fact if exact else fact in node.value)):
                holders.add(str(path.relative_to(REPO)))
    assert holders <= allowed, holders


def test_every_package_says_what_it_owns_and_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if init.parent == PACKAGE:
            assert "->" in doc, init  # the root names the layers
            continue
        assert "Owns:" in doc and "May import" in doc, init

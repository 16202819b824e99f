"""Reference pages generated from the code and the rules: CLI, validation rules, schema.

`catalogue docs --write` writes them into `docs/reference/`; a test fails when a committed page
differs from what the code generates, so the documentation cannot drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import typer.main

from catalogue.format import profiles, vocabularies
from catalogue.settings import PROJECT_ROOT
from catalogue.validation.findings import rules

REFERENCE = PROJECT_ROOT / "docs" / "reference"


def cli_page() -> str:
    """Every command with its help and options, from the typer app itself."""
    from catalogue.cli.main import app

    group = typer.main.get_command(app)
    lines = ["# Command-line reference", "",
             "Generated from the code by `catalogue docs --write`; do not edit by hand.", ""]
    ctx = click.Context(group, info_name="catalogue")
    for name in sorted(group.list_commands(ctx)):
        cmd = group.get_command(ctx, name)
        sub = click.Context(cmd, info_name=f"catalogue {name}", parent=ctx)
        usage = " ".join(cmd.collect_usage_pieces(sub))
        lines += [f"## `catalogue {name}`", "", (cmd.help or "").strip(), "", "```text",
                  f"catalogue {name} {usage}", "```", "",
                  "| argument or option | default | what it does |", "|---|---|---|"]
        for param in cmd.params:
            if param.name == "help":
                continue
            names = ", ".join(f"`{o}`" for o in getattr(param, "opts", [])) or f"`{param.name}`"
            if isinstance(param, click.Argument):
                names = f"`{param.name.upper()}`"
            default = "" if param.default in (None, False) else f"`{param.default}`"
            help_text = (getattr(param, "help", "") or "").replace("|", "\\|")
            lines.append(f"| {names} | {default} | {help_text} |")
        lines.append("")
    return "\n".join(lines)


def rules_page() -> str:
    """The finding codes of `catalogue validate`, from validators/rules.yaml."""
    lines = ["# Validation rules", "",
             "Every finding `catalogue validate` reports has one of these codes. "
             "Generated from `validators/rules.yaml` by `catalogue docs --write`.", "",
             "| code | severity | what it means | how to fix it |", "|---|---|---|---|"]
    for code, rule in rules().items():
        hint = rule["hint"].replace("|", "\\|")
        lines.append(f"| `{code}` | {rule['severity']} | {rule['title']} | {hint} |")
    return "\n".join(lines) + "\n"


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"] if p.get("type") != "null")
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if prop.get("type") == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"mapping of {_type(prop['additionalProperties'])}"
    return str(prop.get("type", prop.get("enum", "any")))


def _table(name: str, schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = [f"### {name}", "", schema.get("description", "").strip(), "",
             "| field | type | required | description |", "|---|---|---|---|"]
    for field, prop in schema.get("properties", {}).items():
        desc = (prop.get("description") or "").replace("|", "\\|").replace("\n", " ")
        need = "yes" if field in required else ""
        lines.append(f"| `{field}` | {_type(prop)} | {need} | {desc} |")
    return lines + [""]


def schema_page() -> str:
    """The fields of every kind of file, from the JSON Schema profiles, plus the vocabularies."""
    lines = ["# Schema reference", "",
             "Generated from the models (the same JSON Schema profiles that editors and the "
             "validator use, in `validators/profiles/`) by `catalogue docs --write`.", ""]
    for kind in ("registry", "biobank", "organization", "table-schema"):
        schema = profiles.generate(kind)
        lines += [f"## {kind} (`validators/profiles/{kind}.schema.json`)", ""]
        lines += _table(kind, schema)
        for name, sub in schema.get("$defs", {}).items():
            if kind == "registry" or name not in profiles.generate("registry").get("$defs", {}):
                lines += _table(name, sub)
    lines += ["## Controlled vocabularies", "",
              "Fields and the vocabulary their values come from (`validators/vocabulary-fields.yaml`):",
              ""]
    for kind, table in vocabularies.field_table().items():
        for path, name in table.items():
            lines.append(f"- {kind} `{path}`: [{name}](#{name})")
    lines.append("")
    names = sorted({n for t in vocabularies.field_table().values() for n in t.values()})
    for name in names:
        vocab = vocabularies.vocabulary(name)
        lines += [f"### {name}", "", vocab.description, "", "| term | English | bokmål |",
                  "|---|---|---|"]
        lines += [f"| `{t.id}` | {t.text('en')} | {t.text('nb')} |" for t in vocab.terms.values()]
        lines.append("")
    return "\n".join(lines)


PAGES = {"cli.md": cli_page, "rules.md": rules_page, "schema.md": schema_page}


def stale_pages() -> list[Path]:
    """Reference pages whose committed text differs from what the code generates."""
    return [REFERENCE / name for name, make in PAGES.items()
            if not (REFERENCE / name).is_file() or (REFERENCE / name).read_text() != make()]


def write_pages() -> list[Path]:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name, make in PAGES.items():
        (REFERENCE / name).write_text(make(), encoding="utf-8")
    return [REFERENCE / name for name in PAGES]

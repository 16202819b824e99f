"""`catalogue new`: commented skeletons that validate, so an owner starts from something right.

Every value in a skeleton is a placeholder to replace; the `demonstration` notice stays on the
entry until the owner has replaced them, so an unfinished entry is never taken as the record.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from catalogue.errors import UsageError
from catalogue.format import skeletons
from catalogue.format.kinds import FOLDERS
from catalogue.packaged.editor import schema_line

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")


class ScaffoldError(UsageError):
    """The skeleton cannot be written; the message says why and what to do."""


def new_entry(metadata: Path, kind: str, name: str, organization: str | None = None) -> Path:
    """Write `metadata/<registries|biobanks>/<name>/datapackage.yaml`; returns its path."""
    if not NAME.match(name):
        raise ScaffoldError(
            f"{name!r} is not a valid id: use 3-100 lowercase letters, digits and hyphens."
        )
    folder = metadata / FOLDERS[kind] / name
    target = folder / "datapackage.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; edit it or choose another id.")
    orgs = sorted(p.stem for p in (metadata / "organizations").glob("*.yaml"))
    org = organization or (orgs[0] if orgs else None)
    if org is None or org not in orgs:
        raise ScaffoldError(
            f"No organisation {org or ''} in {metadata / 'organizations'}: create it first with "
            "`catalogue new organization <id>` or pass --organization."
        )
    today = date.today()
    text = skeletons.entry(kind, profile=schema_line(metadata, kind, "../../../"),
                           uuid=str(uuid.uuid4()), name=name,
                           title=name.replace("-", " ").capitalize(), today=today.isoformat(),
                           year=str(today.year), org=org)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def new_organization(metadata: Path, name: str) -> Path:
    """Write `metadata/organizations/<name>.yaml`; returns its path."""
    if not NAME.match(name):
        raise ScaffoldError(f"{name!r} is not a valid id: use lowercase letters, digits, hyphens.")
    target = metadata / "organizations" / f"{name}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists.")
    target.parent.mkdir(parents=True, exist_ok=True)
    profile = schema_line(metadata, "organization", "../../")
    target.write_text(skeletons.ORGANIZATION.format(profile=profile, name=name), encoding="utf-8")
    return target

"""A FAIR Data Point (FDP specification v1.2) over the catalogue, served under `/fdp/`.

`graphs` builds the records (the FDP, its catalogue, every dataset and distribution) from the
DCAT builders of `catalogue.dcat`, `routes` serves them with content negotiation and `ping`
tells an FDP Index that the FDP is there; `publish` writes the records in `catalogue build`
(its step in `steps()`).
Owns: the FDP's records, their URLs and content negotiation, the index ping.
May import: `settings`, `format`, `load`, `dcat` (its graph builders) and `build.context`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalogue.build.context import Step


def steps() -> list[Step]:
    """The FAIR Data Point's build step: its records under `fdp/`, served by `catalogue serve`."""
    from catalogue.fdp.publish import build_step

    return [("Writing the FAIR Data Point records", build_step)]

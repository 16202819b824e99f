"""The `catalogue` command: a thin typer layer over the library.

Commands parse their options, call one library function and turn its result into output; what
goes wrong ends in a message and an exit code decided in one place (`catalogue.cli.app`). No
Python traceback reaches a user: `main` catches what slips by. One module per command group:
`validate`, `build`, `serve`, `export`, `review`, `authoring`, `devtools`.
"""

from __future__ import annotations

import sys

from catalogue import settings

# each module registers its commands on the app, in the order `--help` lists them
# isort: off
from catalogue.cli import validate  # noqa: F401 - validate, profiles
from catalogue.cli import authoring  # noqa: F401 - new, import-dictionary, import-ckan
from catalogue.cli import build  # noqa: F401
from catalogue.cli import serve  # noqa: F401
from catalogue.cli import export  # noqa: F401 - export dcat, export-bbmri
from catalogue.cli import review  # noqa: F401 - review-due
from catalogue.cli import devtools  # noqa: F401 - synth, docs
# isort: on
from catalogue.cli.app import UNEXPECTED, app, exit_code_for
from catalogue.cli.output import err

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app, and turn any unexpected error into one clear line."""
    try:
        app()
    except KeyboardInterrupt as exc:
        err.print("Interrupted.")
        sys.exit(exit_code_for(exc))
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback for a user
        err.print(f"[red]catalogue: unexpected error: {type(exc).__name__}: {exc}[/red]")
        err.print(f"Please report this with the command you ran (set {settings.ENV_DEBUG}=1 for "
                  "details).")
        if settings.debug():
            raise
        sys.exit(UNEXPECTED)

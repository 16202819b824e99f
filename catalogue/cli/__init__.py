"""The `catalogue` command: a thin typer layer over the library, one module per command group.

Owns: the app and the one mapping from exceptions to exit codes (`app`), what commands print
(`output`), the commands (`validate`, `build`, `serve`, `export`, `authoring`, `devtools`),
the entry point (`main`) and the reference pages generated from the code (`docgen`).
May import: everything; nothing imports it.
"""

from catalogue.cli.main import app, main

__all__ = ["app", "main"]

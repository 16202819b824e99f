"""The one base of the catalogue's exceptions: each carries the exit code the CLI ends with.

Findings about metadata are data (`catalogue.validation.findings`), never raised; an exception
means work cannot go on. The CLI maps every `CatalogueError` to its message and `exit_code` in
one place (`catalogue.cli.main`), as datasette's exceptions carry their HTTP status. Imports
nothing of the catalogue.
"""

from __future__ import annotations


class CatalogueError(Exception):
    """Work that cannot go on, told in a message a user can act on."""

    exit_code = 1


class UsageError(CatalogueError):
    """The command was given something it cannot use (a missing folder, a taken id)."""

    exit_code = 2

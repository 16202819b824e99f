"""The typer app every command registers on, and the one place exceptions become exit codes.

A command raises what the library raised; `CatalogueGroup.invoke` prints a `CatalogueError`'s
message and ends with its `exit_code` (as datasette's exceptions carry their HTTP status and one
handler renders them), `exit_code_for` maps every exception to the number a script sees.
"""

from __future__ import annotations

import signal

import typer
from typer.core import TyperGroup

from catalogue.cli.output import err
from catalogue.errors import CatalogueError

UNEXPECTED = 3  # an error nobody anticipated: a bug to report
INTERRUPTED = 128 + signal.SIGINT  # 130, as a shell reports Ctrl-C


class BuildStopped(BaseException):
    """SIGTERM during a build: unwinds like Ctrl-C, so the build cleans up after itself."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def exit_code_for(exc: BaseException) -> int:
    """The exit code for an exception: the one mapping of the CLI."""
    if isinstance(exc, CatalogueError):
        return exc.exit_code
    if isinstance(exc, BuildStopped):
        return 128 + exc.signum
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError | OSError):  # the store or the disk: told, not a bug
        return 1
    return UNEXPECTED


def fail(exc: BaseException) -> typer.Exit:
    """The `typer.Exit` ending a command after `exc` was reported: `raise fail(exc) from None`."""
    return typer.Exit(exit_code_for(exc))


class CatalogueGroup(TyperGroup):
    """Commands whose `CatalogueError`s end in their message and exit code, never a traceback."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except CatalogueError as exc:
            err.print(str(exc), style="red", markup=False, highlight=False)
            raise fail(exc) from None


app = typer.Typer(
    cls=CatalogueGroup,
    help="Publish metadata about medical quality registries and biobanks, and how to get access.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Write the catalogue in the formats other catalogues harvest.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

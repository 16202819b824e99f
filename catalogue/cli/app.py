"""The typer app every command registers on, and the one place exceptions become exit codes.

A command raises what the library raised; `CatalogueGroup.invoke` prints a `CatalogueError`'s
message and ends with its `exit_code` (as datasette's exceptions carry their HTTP status and one
handler renders them), `exit_code_for` maps every exception to the number a script sees.
"""

from __future__ import annotations

import os
import signal

import typer
from typer.core import TyperGroup

from catalogue import settings
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


def _show_version(value: bool) -> None:
    if value:
        from catalogue.packaged import version

        print(f"catalogue {version()}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Publish metadata about medical quality registries and biobanks, and how to get access."""
    # a command may point $CATALOGUE_VALIDATORS at the rules beside its metadata (`use_rules`):
    # put it back when the command is done, so a command run in-process leaves no trace
    before = os.environ.get(settings.ENV_VALIDATORS)
    ctx.call_on_close(lambda: _restore(settings.ENV_VALIDATORS, before))


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
export_app = typer.Typer(help="Write the catalogue in the formats other catalogues harvest.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

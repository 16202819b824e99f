"""The `catalogue` command."""

from catalogue.cli.main import app, main

__all__ = ["app", "main"]

"""`python -m catalogue` runs the CLI."""

from catalogue.cli.main import main

main()

"""The read-only CKAN Action API (version 3) over the store, and its static dump."""

from catalogue.build.context import Step
from catalogue.ckan.dump import dump_step
from catalogue.ckan.store.step import load_step


def steps() -> list[Step]:
    """The build steps of the CKAN side: load the store first, then dump it for harvesters."""
    return [("Loading the store", load_step), ("Writing the CKAN dump", dump_step)]

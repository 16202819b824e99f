"""The CKAN side: one package builder, the store it fills, the Action API over it, the dump.

Owns: the CKAN package, organization and group dicts (`packages`, the one builder: the store,
the API, the dump and the site's `ckan.json` all show what it built), the store (`store/`), the
read-only Action API (`api/`), the ASGI app serving it and the built site (`app`; deployments
run `catalogue.ckan.app:create_app`) and the static `ckanapi dump` files (`dump`). Its build
steps (`steps()`): load the store, write the dump.
May import: `settings`, `errors`, `format`, `load`, and `build.context` (nothing else of the build).
"""

from catalogue.build.context import Step
from catalogue.ckan.dump import dump_step
from catalogue.ckan.store.step import load_step


def steps() -> list[Step]:
    """The build steps of the CKAN side: load the store first, then dump it for harvesters."""
    return [("Loading the store", load_step), ("Writing the CKAN dump", dump_step)]

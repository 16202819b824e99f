"""The catalogue: metadata about medical quality registries and biobanks, and how to get access.

The packages follow the data flow, each importing only the layers below it (tests/test_layout.py
holds them to it): settings/errors -> format -> privacy -> validation -> load -> build.context ->
ckan, dcat, site -> build -> authoring, devtools -> cli. README's Layout section says what each owns.
"""

__version__ = "0.1.0"

"""CKAN's Action API (version 3), read-only, over the store.

Owns: the actions (`actions`), their errors in CKAN's envelope (`errors`), the Solr-like query
language (`query`) and the search over the store (`search`), the limits on every request
(`limits`, and `server` for uvicorn's protocol), the OpenAPI description (`openapi`), the result
cache (`cache`) and vocabulary display names (`vocab`).
May import: `settings`, `errors`, `format`, `load`, `ckan.packages`, `ckan.store`.
"""

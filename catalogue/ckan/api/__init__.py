"""ckan/api."""

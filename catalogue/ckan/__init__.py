"""The read-only CKAN Action API (version 3) over the store, and its static dump."""

"""`catalogue validate`: every finding about the metadata, as data with a code, a place and a fix.

Owns: the findings and the report (`findings`), what a check declares (`rules`) and the list of
all checks (`registry`), finding the files (`discover`), reading YAML safely (`yaml_reader`),
the per-file checks (`checks/`), the rules across entries (`crossref`) and the run with its
cache (`run`; the cache fingerprint hashes every module of this package, `format`, `privacy`
and `settings`).
May import: `settings`, `errors`, `format`, `privacy`.
"""

"""Tools for the catalogue's own developers.

Owns: `synth`, a valid synthetic catalogue of any size, for benchmarks and tests.

May import: every layer up to the outputs, never `cli`. (The reference-page generator lives in
`catalogue.cli.docgen`: it documents the CLI, so it sits in the CLI's layer.)
"""

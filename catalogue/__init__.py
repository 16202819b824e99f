"""The catalogue: metadata about medical quality registries and biobanks, and how to get access."""

__version__ = "0.1.0"

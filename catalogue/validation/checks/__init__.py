"""validation/checks."""

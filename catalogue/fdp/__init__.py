"""A FAIR Data Point (FDP specification v1.2) over the catalogue, served under `/fdp/`.

`graphs` builds the records (the FDP, its catalogue, every dataset and distribution) from the
DCAT builders of `catalogue.dcat`, `routes` serves them with content negotiation and `ping`
tells an FDP Index that the FDP is there.
"""

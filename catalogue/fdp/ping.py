"""Telling an FDP Index that this FAIR Data Point exists: a POST of `{"clientUrl": <root>}` to
the index, as the reference implementation does (IndexPingController; it answers 204 and
harvests the FDP), at start-up and then weekly, since an index forgets FDPs that stop pinging.
Off unless `catalogue serve --fdp-index URL` asks for it."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request

log = logging.getLogger("catalogue.fdp")
WEEK = 7 * 24 * 3600.0


def ping(index_url: str, client_url: str, timeout: float = 10.0) -> int:
    """POST the ping; returns the index's HTTP status (0 when it could not be reached)."""
    body = json.dumps({"clientUrl": client_url}).encode()
    request = urllib.request.Request(index_url, body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked by the CLI
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        log.warning("FDP Index %s not reached: %s", index_url, exc)
        return 0


def start_pinging(index_url: str, client_url: str, every: float = WEEK) -> threading.Event:
    """Ping now and every `every` seconds in a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            status = ping(index_url, client_url)
            log.info("pinged the FDP Index %s for %s: HTTP %s", index_url, client_url, status)
            stop.wait(every)

    threading.Thread(target=run, name="fdp-index-ping", daemon=True).start()
    return stop

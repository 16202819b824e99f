"""Process pools whose workers stop quietly: no traceback when the pool is shut down.

Forked workers inherit the parent's signal handlers. `catalogue build` handles SIGTERM by raising
`BuildStopped`, so a worker terminated by its pool (`multiprocessing.Pool` sends SIGTERM when it
closes) would raise it and print a traceback, even in a build that succeeded. And Ctrl-C reaches
every process of the terminal's group: each idle worker would print its `KeyboardInterrupt`.

Every pool therefore starts its workers with `quiet_worker`: SIGTERM ends a worker at once (the
default action, nothing printed) and SIGINT is left to the parent, which stops the pool itself.
"""

from __future__ import annotations

import signal


def quiet_worker() -> None:
    """Pool initializer: the default SIGTERM, and SIGINT ignored (the parent handles Ctrl-C)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

"""Nuke start-up file ``init.py`` (found through ``NUKE_PATH``), run in every Nuke session.

It must never stop Nuke from starting, not even on a render node whose
environment is broken (no database, a missing package, a bad configuration):
every error is caught and reported as one line on stderr, and Nuke starts
without Stalker. It calls :func:`stalker_nuke.startup.initialize`; when the
``stalker_nuke`` package is not importable, the folder holding it (two
levels above this file: ``<folder>/stalker_nuke/nuke_path/init.py``) is
added to ``sys.path`` first.
"""


def _stalker_init() -> None:
    import sys

    try:
        try:
            import stalker_nuke.startup as startup
        except ImportError:
            import os

            here = os.path.dirname(os.path.abspath(__file__))
            sys.path.append(os.path.dirname(os.path.dirname(here)))
            import stalker_nuke.startup as startup
        startup.initialize()
    except Exception as exc:  # noqa: BLE001 - Nuke must start whatever happens here
        sys.stderr.write(
            f"Stalker: not loaded ({type(exc).__name__}: {exc}); Nuke starts without it\n"
        )


_stalker_init()

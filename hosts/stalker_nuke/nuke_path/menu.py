"""Nuke start-up file ``menu.py`` (found through ``NUKE_PATH``), run by Nuke in the GUI only.

Builds the "Stalker" menu (:func:`stalker_nuke.startup.install_menu`) when
``nuke.env["gui"]`` is true. Like ``init.py`` it never stops Nuke: any error
is one line on stderr and Nuke starts without the menu.
"""


def _stalker_menu() -> None:
    import sys

    try:
        import nuke

        if nuke.env["gui"]:
            import stalker_nuke.startup as startup

            startup.install_menu(nuke)
    except Exception as exc:  # noqa: BLE001 - Nuke must start whatever happens here
        sys.stderr.write(
            f"Stalker: no menu ({type(exc).__name__}: {exc}); Nuke starts without it\n"
        )


_stalker_menu()

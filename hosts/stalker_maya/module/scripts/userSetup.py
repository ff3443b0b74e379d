"""Maya runs this at start-up (the module's ``scripts`` folder): install the Stalker host.

A failure is printed and never stops Maya from starting.
"""


def _install_stalker() -> None:
    try:
        from stalker_maya.startup import install

        install()
    except Exception:  # noqa: BLE001 - Maya must start whatever happens
        import traceback

        print("Stalker: could not install the Maya integration:")
        traceback.print_exc()


_install_stalker()

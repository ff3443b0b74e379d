"""A virtual screen (Xvfb) for the tests that show a real application's window.

``Xvfb -displayfd`` picks a free display number itself and reports it once it
accepts clients, so two screens never race for a number (``xvfb-run -a`` can,
and a killed one leaves a lock file behind that it then steps around). The
screen is stopped with SIGTERM, which removes its lock file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

#: why a test that needs a virtual screen is skipped here, or None
MISSING = None if shutil.which("Xvfb") else "Xvfb is not installed (apt install xvfb)"


@contextmanager
def virtual_screen(size: str = "1280x800x24") -> Iterator[dict[str, str]]:
    """Run Xvfb for the block; yields the environment variables that reach it (DISPLAY)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    os.close(write)
    with os.fdopen(read) as ready:
        number = ready.readline().strip()  # written once the server accepts clients
    try:
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit code {server.poll()})")
        yield {"DISPLAY": f":{number}"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def screen_environment(base: dict[str, str], screen: dict[str, str]) -> dict[str, str]:
    """``base`` pointed at ``screen``: its DISPLAY, and no X authority file of another server."""
    env = {k: v for k, v in base.items() if k not in ("XAUTHORITY", "WAYLAND_DISPLAY")}
    return {**env, **screen}

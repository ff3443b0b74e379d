"""A virtual screen (Xvfb) for the tests that show a real application's window.

Each screen gets a random display number far above the usual ones (``:0``,
``:1``, ``xvfb-run``'s ``:99``). Full CI runs have twice seen Krita fail to
reach a screen this module had just started on ``:1``; the cause is not
known. A likely one is another X server in the same network namespace (a
job with its own ``/tmp``) owning the abstract socket of a low number: a
client tries that socket first and reaches that server instead of ours.
``-displayfd`` reports the number once the server accepts clients; then an X
connection set-up (the handshake every client starts with) through the same
socket a client tries first proves that the screen answering is ours. A
screen that fails either check is stopped and another number is tried.
``-noreset`` keeps the server from resetting between clients. Xvfb's own
messages are kept for failure messages (:meth:`VirtualScreen.diagnostics`).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: why a test that needs a virtual screen is skipped here, or None
MISSING = None if shutil.which("Xvfb") else "Xvfb is not installed (apt install xvfb)"

#: display numbers tried: far from the ones people and tools pick by hand
_NUMBERS = range(3000, 30000)
_ATTEMPTS = 5


@dataclass
class VirtualScreen:
    """A running Xvfb: its display number, process and message log."""

    number: int
    server: subprocess.Popen[bytes]
    log: Path

    @property
    def environment(self) -> dict[str, str]:
        """The environment variables that reach this screen."""
        return {"DISPLAY": f":{self.number}"}

    def diagnostics(self) -> str:
        """Whether the server still runs and answers, and what it printed (for failures)."""
        state = ("running" if self.server.poll() is None
                 else f"exited with code {self.server.returncode}")
        return (f"Xvfb :{self.number} (pid {self.server.pid}) {state}; "
                f"X connection set-up: {handshake(self.number)}\n"
                f"Xvfb's messages:\n{self.log.read_text(errors='replace')}")


def handshake(number: int, timeout: float = 10.0) -> str:
    """Start an X connection on display ``number`` as a client does: "accepted" or why not.

    libxcb tries the abstract socket first and the socket file only when the
    abstract one is absent; this does the same.
    """
    setup = struct.pack("<cxHHHHxx", b"l", 11, 0, 0, 0)  # little-endian, X11.0, no auth
    for address in (f"\0/tmp/.X11-unix/X{number}", f"/tmp/.X11-unix/X{number}"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(timeout)
            try:
                client.connect(address)
            except (FileNotFoundError, ConnectionRefusedError):
                continue
            except OSError as exc:
                return f"refused ({exc})"
            try:
                client.sendall(setup)
                status = client.recv(1)
            except OSError as exc:
                return f"no answer ({exc})"
            return {b"\x01": "accepted", b"\x00": "refused by the server",
                    b"\x02": "the server asks for authentication"}.get(status,
                                                                      f"answer {status!r}")
    return "no server listens"


def _start(number: int, size: str, log: Path) -> VirtualScreen | None:
    read, write = os.pipe()
    with log.open("wb") as messages:
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-displayfd", str(write), "-screen", "0", size,
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,), stdout=messages, stderr=subprocess.STDOUT,
            start_new_session=True)
    os.close(write)
    with os.fdopen(read) as ready:
        reported = ready.readline().strip()  # written once the server accepts clients
    screen = VirtualScreen(number, server, log)
    if reported == str(number) and handshake(number) == "accepted":
        return screen
    _stop(screen)
    return None


def _stop(screen: VirtualScreen) -> None:
    screen.server.terminate()
    try:
        screen.server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        screen.server.kill()
        screen.server.wait()


@contextmanager
def virtual_screen(size: str = "1280x800x24") -> Iterator[VirtualScreen]:
    """Run Xvfb for the block on a display no other server answers for."""
    with tempfile.TemporaryDirectory(prefix="xvfb-") as folder:
        tried: list[str] = []
        for attempt in range(_ATTEMPTS):
            number = random.choice(_NUMBERS)
            taken = Path(f"/tmp/.X{number}-lock").exists()
            if taken or handshake(number, 2) != "no server listens":
                tried.append(f":{number} is taken")
                continue
            log = Path(folder, f"xvfb-{attempt}.log")
            screen = _start(number, size, log)
            if screen is not None:
                break
            tried.append(f":{number}: {log.read_text(errors='replace').strip()}")
        else:
            raise RuntimeError("no virtual screen started:\n" + "\n".join(tried))
        try:
            yield screen
        finally:
            _stop(screen)


def screen_environment(base: dict[str, str], screen: VirtualScreen) -> dict[str, str]:
    """``base`` pointed at ``screen``: its DISPLAY, and no X authority file of another server."""
    env = {k: v for k, v in base.items() if k not in ("XAUTHORITY", "WAYLAND_DISPLAY")}
    return {**env, **screen.environment}

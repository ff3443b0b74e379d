"""Maya's time units and their frame rates: the one table both directions use.

``currentUnit -time`` takes a unit *name*; the pipeline speaks frames per
second. :data:`TIME_UNITS` lists every name Maya documents with its rate;
:func:`fps_of_unit` and :func:`unit_of_fps` look it up either way. Where two
names share a rate (``29.97fps`` and the drop-frame ``29.97df``), the first in
the table is the one :func:`unit_of_fps` returns.
"""

from __future__ import annotations

from stalker_core.exceptions import ValidationError

#: (Maya time unit name, frames per second), named units first
TIME_UNITS: tuple[tuple[str, float], ...] = (
    ("game", 15.0),
    ("film", 24.0),
    ("pal", 25.0),
    ("ntsc", 30.0),
    ("show", 48.0),
    ("palf", 50.0),
    ("ntscf", 60.0),
    ("23.976fps", 24000 / 1001),
    ("29.97fps", 30000 / 1001),
    ("29.97df", 30000 / 1001),
    ("47.952fps", 48000 / 1001),
    ("59.94fps", 60000 / 1001),
    *((f"{n}fps", float(n)) for n in (
        2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 40, 75, 80, 100, 120, 125, 150, 200, 240, 250,
        300, 375, 400, 500, 600, 750, 1200, 1500, 2000, 3000, 6000, 44100, 48000,
    )),
    ("hour", 1 / 3600),
    ("min", 1 / 60),
    ("sec", 1.0),
    ("millisec", 1000.0),
)

#: how close a rate must be to a unit's rate to use that unit
TOLERANCE = 1e-3


def fps_of_unit(unit: str) -> float:
    """Return the frames per second of the Maya time unit ``unit``.

    :raises ValidationError: for a name Maya does not document.
    """
    for name, fps in TIME_UNITS:
        if name == unit:
            return fps
    raise ValidationError(f"unknown Maya time unit {unit!r}; expected one of Maya's unit names")


def unit_of_fps(fps: float) -> str:
    """Return the Maya time unit name for ``fps`` (within :data:`TOLERANCE`).

    :raises ValidationError: when ``fps`` is not a positive number or Maya has
        no time unit for it (Maya can only run at the rates in :data:`TIME_UNITS`).
    """
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not fps > 0:
        raise ValidationError(f"fps should be a positive number, not {fps!r}")
    for name, rate in TIME_UNITS:
        if abs(rate - fps) <= TOLERANCE:
            return name
    common = ", ".join(f"{name} ({rate:g})" for name, rate in TIME_UNITS[:12])
    raise ValidationError(
        f"Maya has no time unit for {fps:g} fps; use a rate Maya supports, e.g. {common}"
    )

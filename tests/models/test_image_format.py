"""ImageFormat."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import ImageFormat


def test_valid() -> None:
    f = ImageFormat(name="HD 1080", width=1920, height=1080)
    assert (f.width, f.height, f.pixel_aspect, f.print_resolution) == (1920, 1080, 1.0, 300.0)
    assert f.device_aspect == pytest.approx(16 / 9)
    assert ImageFormat(name="x", width=10.0, height=5).width == 10


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"width": "1920"}, StalkerTypeError),
        ({"width": 0}, ValidationError),
        ({"height": -1}, ValidationError),
        ({"height": 10.5}, StalkerTypeError),
        ({"width": True}, StalkerTypeError),
        ({"pixel_aspect": 0}, ValidationError),
        ({"pixel_aspect": float("nan")}, ValidationError),
        ({"print_resolution": "300"}, StalkerTypeError),
    ],
)
def test_invalid(kw: dict[str, Any], err: type) -> None:
    args = {"name": "f", "width": 100, "height": 100, **kw}
    with pytest.raises(err, match="ImageFormat"):
        ImageFormat(**args)


def test_persists(session: Any) -> None:
    session.add(ImageFormat(name="2K", width=2048, height=1080, pixel_aspect=1.0))
    session.commit()
    session.expire_all()
    assert ImageFormat.query.filter_by(name="2K").one().width == 2048

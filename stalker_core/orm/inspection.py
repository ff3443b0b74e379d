"""Whether an object is an instance of a mapped class (public SQLAlchemy API only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import InstanceState


def is_mapped_instance(obj: Any) -> bool:
    """Return whether ``obj`` is an instance of a mapped class (a model object).

    A mapped *class* is not an instance; nor is anything else.
    """
    return isinstance(inspect(obj, raiseerr=False), InstanceState)

"""The Version aggregate: a saved file of a task's take, its number, and its queries.

* :mod:`.model` - :class:`Version` (take, number, paths, inputs/outputs, publish flag);
* :mod:`.numbering` - the per (task, take) number assigned at flush, and ``reserve_version``;
* :mod:`.queries` - read-only queries (latest published versions, ...).

At runtime :mod:`.numbering` sits below :mod:`.model` (``Version`` calls it
while it is built); it queries and creates versions through
:func:`stalker_core.models.base.mapped_class`, never by importing the model
(checked by ``.importlinter-runtime``).

``from stalker_core.models.version import Version`` keeps working as in Stalker.
"""

from __future__ import annotations

from stalker_core.models.version.model import Version

__all__ = ["Version"]

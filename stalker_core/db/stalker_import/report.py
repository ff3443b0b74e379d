"""What an import did: counts per kind and what could not be mapped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class KindCount:
    """Rows of one kind: created now, found already imported (or matching), or skipped."""

    created: int = 0
    existing: int = 0
    skipped: int = 0

    def __repr__(self) -> str:
        return f"<KindCount created={self.created} existing={self.existing} skipped={self.skipped}>"


@dataclass
class ImportReport:
    """The outcome of :func:`~stalker_core.db.stalker_import.import_stalker`.

    :ivar source: the source URL (password hidden).
    :ivar revision: the source's Alembic revision; ``era`` its release line.
    :ivar counts: kind (``"Task"``, ``"task dependencies"``, ...) -> :class:`KindCount`.
    :ivar not_mapped: one line per thing that was not copied, saying why.
    """

    source: str
    revision: str
    era: str
    counts: dict[str, KindCount] = field(default_factory=dict)
    not_mapped: list[str] = field(default_factory=list)

    def count(self, kind: str) -> KindCount:
        """The counter of ``kind`` (made on first use)."""
        return self.counts.setdefault(kind, KindCount())

    def skip(self, kind: str, why: str) -> None:
        """Count one skipped row of ``kind`` and say why."""
        self.count(kind).skipped += 1
        self.not_mapped.append(f"{kind}: {why}")

    @property
    def created(self) -> int:
        """Rows created by this run, all kinds together (0 on a repeated run)."""
        return sum(c.created for c in self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "source": self.source,
            "revision": self.revision,
            "era": self.era,
            "counts": {k: vars(c).copy() for k, c in self.counts.items()},
            "created": self.created,
            "not_mapped": list(self.not_mapped),
        }

    def __repr__(self) -> str:
        return (f"<ImportReport {self.era} {self.revision}: {self.created} created, "
                f"{len(self.not_mapped)} not mapped>")

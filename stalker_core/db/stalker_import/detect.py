"""Which Stalker schema a source database has: its Alembic revision and the shape of its tables."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from stalker_core.exceptions import DatabaseError

#: Stalker 1.1's Alembic head ("Link renamed to File")
HEAD_OF_STALKER_1_1 = "9f9b88fef376"

#: Stalker's Alembic revisions whose tables the importer reads, oldest first: from
#: "added revision_code attribute" (0.2.x, the last revision before 1.0) through the
#: 1.0.0.dev1 era of the seed tutorial (``depends_on``, ``macos_path``, shots in many
#: sequences) to 1.1's head. The differences between them are found from the
#: tables themselves (see :class:`SourceSchema`), not from the revision.
KNOWN_REVISIONS: tuple[str, ...] = (
    "bf67e6a234b4",  # revision_code attribute (0.2.x)
    "feca9bac7d5a",  # osx_path renamed macos_path
    "019378697b5b",  # depends_to renamed depends_on
    "ec1eb2151bb9",  # Version.take_name renamed variant_name
    "4400871fa852",  # Scene derives from Task
    "e25ec9930632",  # a Shot has one Sequence
    "5078390e5527",  # a Shot has one Scene
    "644f5251fc0d",  # Project.active removed
    "91ed52b72b82",  # Variant
    "a2007ad7f535",  # Review.version_id
    "3be540ad3a93",  # Version.revision_number
    HEAD_OF_STALKER_1_1,  # Link renamed File; a Version has Files
)


@dataclass(frozen=True)
class SourceSchema:
    """The shape of a Stalker database, read from its tables.

    :ivar revision: the Alembic revision in its ``alembic_version`` table.
    :ivar files_table: ``"Files"`` (1.1) or ``"Links"`` (before).
    :ivar version_is_file: before 1.1 a Version is a Link (its row in ``Links``
        holds its path); in 1.1 a Version has Files (``Version_Files``).
    :ivar variant_column: ``"variant_name"`` (1.0 and later) or ``"take_name"``.
    :ivar depends_column: ``"depends_on_id"`` or ``"depends_to_id"`` (older).
    :ivar macos_column: ``"macos_path"`` or ``"osx_path"`` (older).
    :ivar shot_sequence_column: True when ``Shots.sequence_id`` exists (one
        sequence per shot); else the ``Shot_Sequences`` table links them.
    :ivar shot_scene_column: likewise for scenes (``Shots.scene_id``).
    """

    revision: str
    files_table: str
    version_is_file: bool
    variant_column: str
    depends_column: str
    macos_column: str
    shot_sequence_column: bool
    shot_scene_column: bool

    @property
    def era(self) -> str:
        """A short name of the Stalker release line the schema belongs to."""
        if self.files_table == "Files":
            return "Stalker 1.1"
        if self.variant_column == "variant_name" or self.depends_column == "depends_on_id":
            return "Stalker 1.0"
        return "Stalker 0.2"


def read_revision(conn: Connection) -> str | None:
    """The revision in the source's ``alembic_version`` table (None without one)."""
    if not conn.dialect.has_table(conn, "alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def detect(conn: Connection, metadata: MetaData) -> SourceSchema:
    """Read the revision and the table shapes of the Stalker database on ``conn``.

    :param metadata: the source's reflected tables.
    :raises DatabaseError: when the database is not a Stalker database, or its
        revision is not one the importer knows (:data:`KNOWN_REVISIONS`).
    """
    tables = metadata.tables
    if "SimpleEntities" not in tables or "Users" not in tables:
        raise DatabaseError(
            "the source is not a Stalker database (no SimpleEntities or Users table); "
            "give the URL of a database made by Stalker"
        )
    revision = read_revision(conn)
    if revision is None:
        raise DatabaseError(
            "the source Stalker database has no alembic_version; the importer needs it to know "
            f"the schema (supported revisions: {', '.join(KNOWN_REVISIONS)})"
        )
    if revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            f"the source Stalker database is at Alembic revision {revision!r}, which the importer "
            f"does not support; supported: {', '.join(KNOWN_REVISIONS)} (Stalker 0.2.x's last "
            f"revision to 1.1's head {HEAD_OF_STALKER_1_1}). Upgrade it with Stalker's Alembic "
            "migrations first"
        )

    def has(table: str, column: str) -> bool:
        return table in tables and column in tables[table].c

    files_table = "Files" if "Files" in tables else "Links"
    return SourceSchema(
        revision=revision,
        files_table=files_table,
        version_is_file=files_table == "Links",
        variant_column="variant_name" if has("Versions", "variant_name") else "take_name",
        depends_column=(
            "depends_on_id" if has("Task_Dependencies", "depends_on_id") else "depends_to_id"
        ),
        macos_column="macos_path" if has("Repositories", "macos_path") else "osx_path",
        shot_sequence_column=has("Shots", "sequence_id"),
        shot_scene_column=has("Shots", "scene_id"),
    )

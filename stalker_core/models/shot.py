"""Shot: a task with a code, cut range, fps and image format; in sequences and scenes.

``code`` is unique per project; this is checked when the session flushes
(one query per flush for all new or renamed shots).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import ForeignKey, Table, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from stalker_core.exceptions import ValidationError, type_error, value_error
from stalker_core.models.base import check_number, declared_defaults, fk_id, link_table
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task
from stalker_core.models.task.validation import name_from_code

if TYPE_CHECKING:
    from stalker_core.models.image_format import ImageFormat
    from stalker_core.models.scene import Scene
    from stalker_core.models.sequence import Sequence

shot_sequences = link_table("shot_sequences", shot_id="shots", sequence_id="sequences")

shot_scenes = link_table("shot_scenes", shot_id="shots", scene_id="scenes")


class Shot(Task, CodeMixin):
    """A shot; ``fps`` and ``image_format`` fall back to the project's."""

    __tablename__ = "shots"
    _required: ClassVar[tuple[str, ...]] = ("code", "name")
    id: Mapped[int] = fk_id("tasks")
    cut_in: Mapped[int] = mapped_column(default=1001)
    cut_out: Mapped[int] = mapped_column(default=1001)
    shot_fps: Mapped[float | None] = mapped_column("fps")
    image_format_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_formats.id", ondelete="SET NULL")
    )
    shot_image_format: Mapped[ImageFormat | None] = relationship(foreign_keys=[image_format_id])
    #: frames used from the source (Stalker 1.1); ``None`` follows the cut
    shot_source_in: Mapped[int | None] = mapped_column("source_in")
    shot_source_out: Mapped[int | None] = mapped_column("source_out")
    sequences: Mapped[list[Sequence]] = relationship(
        secondary=shot_sequences, back_populates="shots"
    )
    scenes: Mapped[list[Scene]] = relationship(secondary=shot_scenes, back_populates="shots")

    def __init__(self, **kwargs: Any) -> None:
        cut_in = kwargs.pop("cut_in", _COLUMN_DEFAULTS["cut_in"].arg)
        cut_out = kwargs.pop("cut_out", None)
        duration = kwargs.pop("cut_duration", None)
        source = kwargs.pop("source_in", None), kwargs.pop("source_out", None)
        sequence = kwargs.pop("sequence", None)
        super().__init__(**name_from_code(kwargs))
        self.cut_in = cut_in
        if cut_out is None:
            cut_out = cut_in + (duration - 1 if duration is not None else 0)
        self.cut_out = cut_out
        if source != (None, None):
            self.set_source(*source)
        if sequence is not None:
            self.sequence = sequence

    @staticmethod
    def check_unique_codes(session: Session, shots: list[Shot]) -> None:
        """Refuse two shots of one project with the same code: :func:`check_unique_codes`.

        For the code below this module that reaches Shot through its class
        (:class:`~stalker_core.models.task.bulk.TaskBatch`).
        """
        check_unique_codes(session, shots)

    @validates("cut_in", "cut_out")
    def _validate_cut(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error("Shot", key, "an int (a frame number)", value)
        other = self.__dict__.get("cut_out" if key == "cut_in" else "cut_in")
        if other is not None:
            cut_in, cut_out = (value, other) if key == "cut_in" else (other, value)
            if cut_out < cut_in:
                raise value_error(
                    "Shot", key, f"a frame with cut_out >= cut_in (cut_in={cut_in})", value
                )
        return value

    @validates("sequences")
    def _validate_sequence(self, key: str, value: Any) -> Any:
        from stalker_core.models.sequence import Sequence

        if not isinstance(value, Sequence):
            raise type_error("Shot", key, "a list of Sequence", value)
        return value

    @validates("scenes")
    def _validate_scene(self, key: str, value: Any) -> Any:
        from stalker_core.models.scene import Scene

        if not isinstance(value, Scene):
            raise type_error("Shot", key, "a list of Scene", value)
        return value

    @property
    def cut_duration(self) -> int:
        """Number of frames: ``cut_out - cut_in + 1``."""
        return self.cut_out - self.cut_in + 1

    @cut_duration.setter
    def cut_duration(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise value_error("Shot", "cut_duration", "an int, 1 or more", value)
        self.cut_out = self.cut_in + value - 1

    @property
    def source_in(self) -> int:
        """The first frame used from the source; ``cut_in`` unless set (Stalker 1.1)."""
        return self.cut_in if self.shot_source_in is None else self.shot_source_in

    @source_in.setter
    def source_in(self, value: int | None) -> None:
        self.set_source(value, self.shot_source_out)

    @property
    def source_out(self) -> int:
        """The last frame used from the source; ``cut_out`` unless set (Stalker 1.1)."""
        return self.cut_out if self.shot_source_out is None else self.shot_source_out

    @source_out.setter
    def source_out(self, value: int | None) -> None:
        self.set_source(self.shot_source_in, value)

    def set_source(self, source_in: int | None, source_out: int | None) -> None:
        """Set both source frames at once; ``None`` follows the cut.

        :raises StalkerTypeError: for a frame that is not an int.
        :raises ValidationError: unless ``cut_in <= source_in <= source_out <= cut_out``.
        """
        for key, value in (("source_in", source_in), ("source_out", source_out)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise type_error("Shot", key, "an int (a frame number) or None", value)
        first = self.cut_in if source_in is None else source_in
        last = self.cut_out if source_out is None else source_out
        if not self.cut_in <= first <= self.cut_out:
            raise value_error(
                "Shot", "source_in", f"a frame within the cut ({self.cut_in}-{self.cut_out})",
                first,
            )
        if not first <= last <= self.cut_out:
            raise value_error(
                "Shot", "source_out", f"a frame from source_in ({first}) to cut_out "
                f"({self.cut_out})", last,
            )
        self.shot_source_in = source_in
        self.shot_source_out = source_out

    @property
    def sequence(self) -> Sequence | None:
        """The shot's one sequence (Stalker 1.1); ``None`` when it is in none.

        Setting it makes that sequence the only one (``None``: none).

        :raises ValidationError: when read while the shot is in several
            sequences (:attr:`sequences` lists them).
        """
        sequences = self.sequences
        if len(sequences) > 1:
            names = ", ".join(repr(s.name) for s in sequences)
            raise ValidationError(
                f"Shot {self.name!r} is in {len(sequences)} sequences ({names}); "
                "Shot.sequence means its only one: read Shot.sequences"
            )
        return sequences[0] if sequences else None

    @sequence.setter
    def sequence(self, value: Sequence | None) -> None:
        self.sequences = [] if value is None else [value]

    @property
    def fps(self) -> float:
        """The shot's fps, or the project's when not set."""
        if self.shot_fps is not None:
            return self.shot_fps
        return float(self.project.fps) if self.project is not None else 25.0

    @fps.setter
    def fps(self, value: float | None) -> None:
        if value is not None:
            value = float(check_number("Shot", "fps", value, minimum=0, strict=True))
        self.shot_fps = value

    @property
    def image_format(self) -> ImageFormat | None:
        """The shot's image format, or the project's when not set."""
        if self.shot_image_format is not None:
            return self.shot_image_format
        return self.project.image_format if self.project is not None else None

    @image_format.setter
    def image_format(self, value: ImageFormat | None) -> None:
        from stalker_core.models.image_format import ImageFormat

        if value is not None and not isinstance(value, ImageFormat):
            raise type_error("Shot", "image_format", "an ImageFormat or None", value)
        self.shot_image_format = value


#: the defaults declared on the shot's own columns (``cut_in``, ``cut_out``)
_COLUMN_DEFAULTS = declared_defaults(cast(Table, Shot.__table__))


def check_unique_codes(session: Session, shots: list[Shot]) -> None:
    """Refuse two shots of one project with the same code (one query).

    :raises ValidationError: naming the code and the project.
    """
    if not shots:
        return
    seen: dict[tuple[int, str], Shot] = {}
    for s in shots:
        key = (id(s.project), s.code)
        if key in seen and seen[key] is not s:
            raise ValidationError(
                f"Shot.code should be unique in project {s.project.name!r}; "
                f"{s.code!r} is used twice"
            )
        seen[key] = s
    project_ids = {s.project.id for s in shots if s.project is not None and s.project.id}
    if not project_ids:
        return
    changing = {s.id for s in shots if s.id is not None}
    stmt = select(Shot.id, Shot.code, Task.project_id).where(
        Task.project_id.in_(project_ids), Shot.code.in_({s.code for s in shots})
    )
    with session.no_autoflush:
        rows = session.execute(stmt).all()
    by_pid = {s.project.id: s.project for s in shots if s.project is not None}
    for sid, code, pid in rows:
        if sid in changing:
            continue
        if (id(by_pid[pid]), code) in seen:
            raise ValidationError(
                f"Shot.code should be unique in project {by_pid[pid].name!r}; "
                f"a shot with code {code!r} already exists"
            )


def check_codes(session: Session) -> None:
    """Flush step: the codes of new and changed shots are unique per project.

    :raises ValidationError: naming the code and the project.
    """
    shots = [o for o in session.new if isinstance(o, Shot)]
    for o in session.dirty:
        if isinstance(o, Shot) and _code_or_project_changed(o):
            shots.append(o)
    check_unique_codes(session, shots)


def _code_or_project_changed(shot: Shot) -> bool:
    """Did ``shot``'s code or project change since it was loaded? (no attribute is loaded)

    A shot made dirty by anything else (a roll-up cache, a status) keeps its
    checked code: it is not checked again.
    """
    attrs = sa_inspect(shot).attrs
    return any(attrs[key].history.has_changes() for key in ("code", "project_id", "project"))

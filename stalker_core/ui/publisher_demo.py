"""Demo material for the Publisher's screenshot (no Qt): studio checks and a version to open.

:class:`DemoChecks` is a plugin registered only by
:func:`stalker_core.ui.publisher.demo_state` (it has no entry point): it
collects a camera and a playblast next to the work file, fails a "Node
names" check on the camera (with a Rename repair) and warns about the
texture size of the work file, so that a screenshot shows every kind of
check state over the demo studio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl, shot_of

__all__ = ["DEMO_PLUGIN", "DemoChecks", "open_demo_version", "register_demo_checks"]

#: the name the demo checks are registered under
DEMO_PLUGIN = "studio_demo_checks"


class DemoChecks:
    """A studio's own checks, for the demo: a camera and a playblast item, two checks."""

    def __init__(self) -> None:
        #: True once the Rename repair ran
        self.renamed = False

    @hookimpl
    def stalker_publish_collect(self, version: Any) -> list[PublishItem]:
        """A camera and a playblast of the version (no files: the demo only validates)."""
        return [PublishItem("camera", "camera", version),
                PublishItem("playblast", "review", version)]

    @hookimpl(specname="stalker_publish_validate")
    @check("studio.node_names")
    def node_names(self, item: PublishItem) -> list[ValidationResult] | None:
        """Camera nodes follow the studio naming (<shot>_cam)."""
        if item.kind != "camera":
            return None
        if self.renamed:
            return []
        return [ValidationResult(
            "Node names",
            "2 camera nodes do not follow the studio naming '<shot>_cam'; rename them",
            objects=("camera1", "persp_tmp"), repair=self._rename, repair_label="Rename",
        )]

    @hookimpl(specname="stalker_publish_validate")
    @check("studio.texture_size")
    def texture_size(self, item: PublishItem) -> list[ValidationResult] | None:
        """Textures are 4K at most."""
        if item.kind != "workfile":
            return None
        return [ValidationResult(
            "Texture size",
            "2 textures are larger than 4K; the render farm needs more memory for them",
            severity="warning", objects=("hero_diffuse_8k.exr", "sky_16k.exr"),
        )]

    def _rename(self) -> None:
        self.renamed = True


def register_demo_checks(pm: Any) -> DemoChecks:
    """Register :class:`DemoChecks` in ``pm`` once; return it."""
    found = pm.get_plugin(DEMO_PLUGIN)
    if isinstance(found, DemoChecks):
        return found
    checks = DemoChecks()
    pm.register(checks, name=DEMO_PLUGIN)
    return checks


def open_demo_version(host: Any, session: Any) -> Any:
    """Open the newest unpublished version whose file exists (a shot's first) in ``host``.

    :returns: the Version opened, or ``None`` when there is none.
    """
    from stalker_core.models import Version

    newest = session.scalars(
        select(Version).where(Version.is_published.is_(False)).order_by(Version.id.desc())
        .limit(50)
    ).all()
    existing = [v for v in newest if Path(v.absolute_full_path).is_file()]
    on_shots = [v for v in existing if shot_of(v.task) is not None]
    chosen = (on_shots or existing or [None])[0]
    if chosen is not None:
        host.open_file(Path(chosen.absolute_full_path))
    return chosen

"""What the Blender add-on works with: the host, the database session, the plugin manager.

One :class:`Runtime` per Blender process (:data:`runtime`), created without
side effects; the database is connected and the plugin manager built on first
use, not when the add-on registers, so enabling the add-on stays instant.
Embedding code and tests hand in their own session and plugin manager with
:meth:`Runtime.configure`.

The default plugin manager runs *this copy* of the package as the ``blender``
plugin (:func:`use_own_plugin`). Installed as a Blender extension the add-on is
imported as ``bl_ext.<repository>.stalker_blender``, while the ``blender``
entry point of the installed stalker_core distribution names the top-level
``stalker_blender.plugin``: without the swap the publish plugins of another
copy (maybe another release) would check scenes for this add-on's host.

The panel shows the scene's context on every redraw, so :meth:`Runtime.scene_context`
caches it per Version id; the cache is dropped whenever an operator changes
the pipeline state, and, with the last publish's results, after every file
load (:meth:`Runtime.forget_scene`, a load callback of the change tracker).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stalker_core.hosts import VERSION_ID_KEY

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.task.model import Task
    from stalker_core.models.version.model import Version

    from .adapter import BlenderHost

log = logging.getLogger(__name__)

#: the name the Blender plugin is registered under (the name of its entry point)
PLUGIN_NAME = "blender"


@dataclass(frozen=True)
class SceneContext:
    """Display strings of the scene's pipeline context (the panel's rows)."""

    project: str = ""
    task: str = ""
    version: str = ""
    version_id: int | None = None
    task_id: int | None = None
    published: bool = False
    #: why the context is unknown ("" when it is known)
    problem: str = ""


def use_own_plugin(pm: pluggy.PluginManager) -> None:
    """Make this package's :mod:`.plugin` module the ``blender`` plugin of ``pm``.

    Replaces a ``blender`` plugin loaded from another copy of the package (the
    entry point of the installed distribution); does nothing when the name is
    blocked (a studio that blocks the plugin means it) or when this module is
    registered already.
    """
    from . import plugin

    if pm.is_blocked(PLUGIN_NAME):
        return
    current = pm.get_plugin(PLUGIN_NAME)
    if current is plugin:
        return
    if current is not None:
        pm.unregister(current)
    if pm.is_registered(plugin):
        pm.unregister(plugin)
    pm.register(plugin, name=PLUGIN_NAME)
    sources = getattr(pm, "sources", None)
    if isinstance(sources, dict):
        sources[PLUGIN_NAME] = f"the Blender add-on {__package__}"


def _session_is_bound(session: Any) -> bool:
    factory = getattr(session, "session_factory", None)
    if factory is not None:
        return factory.kw.get("bind") is not None
    return getattr(session, "bind", None) is not None


class Runtime:
    """Holds the session, the plugin manager and the context cache of the add-on."""

    def __init__(self) -> None:
        self._session: Any = None
        #: DBSession was connected by :meth:`reading_session`; ``db.init()`` is still to run
        self._defaults_pending = False
        self._pm: pluggy.PluginManager | None = None
        self._context_cache: dict[int | None, SceneContext] = {}
        #: the validation results of the last publish (the panel lists them)
        self.last_results: list[Any] = []

    def configure(self, *, session: Any = None, pm: pluggy.PluginManager | None = None) -> None:
        """Use ``session`` / ``pm`` instead of the defaults (``None`` resets to the default)."""
        self._session = session
        self._pm = pm
        self._defaults_pending = False
        self.last_results = []
        self.invalidate()

    # -- collaborators -------------------------------------------------------------------

    def host(self) -> BlenderHost:
        """A Blender host adapter (they share the process-wide change tracker)."""
        from .adapter import BlenderHost

        host = BlenderHost()
        host.on_load(self.forget_scene)  # registered once: the tracker ignores repeats
        return host

    def session(self) -> Any:
        """The database session; ``DBSession`` connected to the configured database by default.

        When this runtime connected ``DBSession``, the default data is made
        sure of (``db.init()``) before the session is first handed out here,
        for the operators that write.
        """
        session = self.reading_session()
        if self._defaults_pending:
            from stalker_core import db

            db.init()
            self._defaults_pending = False
        return session

    def reading_session(self) -> Any:
        """The database session for reading only (what the panel draws from).

        Connects ``DBSession`` like :meth:`session` but leaves ``db.init()``
        (idempotent, yet a dozen queries and a commit) to the first
        :meth:`session` call, so the panel's first draw does not pay for it.
        """
        if self._session is not None:
            return self._session
        from stalker_core.orm.session import DBSession

        if not _session_is_bound(DBSession):
            from stalker_core import db

            db.setup()
            self._defaults_pending = True
        return DBSession

    def plugin_manager(self) -> pluggy.PluginManager:
        """The plugin manager (built once with every installed plugin).

        The default one runs this copy of the package as the ``blender``
        plugin (:func:`use_own_plugin`); one handed to :meth:`configure` is
        used as it is.
        """
        if self._pm is None:
            from stalker_core.plugins import get_plugin_manager

            pm = get_plugin_manager()
            use_own_plugin(pm)
            self._pm = pm
        return self._pm

    # -- the scene's context ---------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget cached contexts (after a save, a publish, any operator)."""
        self._context_cache.clear()

    def forget_scene(self) -> None:
        """Called after every file load: drop everything that described the old scene.

        The cached contexts and the last publish's results (their repairs act
        on the scene they were found in) belong to the scene that was closed.
        """
        self._context_cache.clear()
        self.last_results = []

    def scene_version_id(self) -> int | None:
        """The Version id recorded in the scene's metadata, or ``None``."""
        raw = self.host().get_scene_metadata().get(VERSION_ID_KEY)
        try:
            return int(raw) if raw else None
        except ValueError:
            return None

    def scene_version(self) -> Version | None:
        """The Version the open scene was saved as, or ``None``."""
        from stalker_core.models.version.model import Version

        version_id = self.scene_version_id()
        if version_id is None:
            return None
        return self.reading_session().get(Version, version_id)  # type: ignore[no-any-return]

    def scene_task(self) -> Task | None:
        """The task of the scene's version, else the launcher's task (``STALKER_TASK_ID``)."""
        version = self.scene_version()
        if version is not None:
            return version.task
        from stalker_core.config import env_value
        from stalker_core.context import TASK_ENV_VAR, Context

        if not env_value(TASK_ENV_VAR):
            return None  # no launcher task: no need to touch the database
        context = Context.from_env(session=self.reading_session())
        return context.task if context is not None else None

    def scene_context(self) -> SceneContext:
        """The display context of the open scene (cached per Version id)."""
        version_id = self.scene_version_id()
        cached = self._context_cache.get(version_id)
        if cached is not None:
            return cached
        try:
            context = self._lookup(version_id)
        except Exception as exc:  # noqa: BLE001 - the panel must draw whatever happens
            log.debug("stalker_blender: context lookup failed", exc_info=True)
            context = SceneContext(version_id=version_id, problem=f"{type(exc).__name__}: {exc}")
        self._context_cache[version_id] = context
        return context

    def _lookup(self, version_id: int | None) -> SceneContext:
        if version_id is None:
            task = self.scene_task()
            if task is None:
                return SceneContext(problem="Scene not saved as a version")
            return SceneContext(
                project=_project_label(task),
                task=_task_label(task),
                task_id=task.id,
                problem="Scene not saved as a version",
            )
        from stalker_core.models.version.model import Version

        version = self.reading_session().get(Version, version_id)
        if version is None:
            return SceneContext(
                version_id=version_id, problem=f"Version {version_id} is not in the database"
            )
        task = version.task
        return SceneContext(
            project=_project_label(task),
            task=_task_label(task),
            version=f"{version.take_name} v{version.version_number:03d}",
            version_id=version.id,
            task_id=task.id,
            published=bool(version.is_published),
        )


def _project_label(task: Task) -> str:
    """The project's code: the sidebar is narrow, and the code is what artists say."""
    return task.project.code if task.project is not None else ""


def _task_label(task: Task) -> str:
    """``"SH010 / anim"``: the task under its parent (asset, shot), or the task alone."""
    return f"{task.parent.name} / {task.name}" if task.parent is not None else task.name


#: the add-on's runtime (one Blender process, one runtime)
runtime = Runtime()

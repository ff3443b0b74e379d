"""Hook specifications: every extension point of stalker_core, in one module.

Plugins implement these hooks with :data:`stalker_core.plugins.api.hookimpl`
and build their results with the types of :mod:`stalker_core.plugins.api`,
the one module plugin authors import from::

    from stalker_core.plugins.api import VetoError, hookimpl

    @hookimpl
    def stalker_workfile_before_save(host, context, version, path):
        if context.task and context.task.status and context.task.status.code == "CMPL":
            raise VetoError("the task is completed; reopen it before saving")

Arguments are passed by keyword; an implementation may accept any subset
of them (pluggy's opt-in arguments), so new arguments can be added later
without breaking plugins. Hooks are grouped like pytest's: plugin
lifecycle, hosts, work files, publishing, references, templates.

Collect-all hooks of the workflows are called *one implementation at a
time* (:func:`stalker_core.plugins.manager.call_each`) so every result and
every error is attributed to the plugin that produced it; a plugin raising
an unexpected exception becomes a :class:`~stalker_core.exceptions.PluginError`
naming the plugin and the hook. Every hook but the two historic lifecycle
hooks accepts new-style wrappers (``@hookimpl(wrapper=True)``), run around
the implementations with pluggy's semantics; old-style
``hookwrapper=True`` implementations are refused at registration. Ordering
between plugins is only ``tryfirst``/``trylast``; publish stages order their
work with explicit stages instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from stalker_core.plugins.api import (
    PROJECT_NAME,
    ApplicationInstall,
    Container,
    Host,
    PanelSpec,
    PublishItem,
    PublishReport,
    PublishTransaction,
    Representation,
    SceneCheck,
    UIAction,
    ValidationResult,
)

if TYPE_CHECKING:
    # loaded lazily by the api module (they import SQLAlchemy)
    from stalker_core.plugins.api import Context, Version

#: decorator marking a hook specification (implementations use ``api.hookimpl``)
hookspec = pluggy.HookspecMarker(PROJECT_NAME)


# -------------------------------------------------------------------------
# plugin lifecycle
# -------------------------------------------------------------------------


@hookspec(historic=True)
def stalker_plugins_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Register hook specifications of a plugin (``pluginmanager.add_hookspecs``).

    Called once when the plugin is registered (historic: plugins registered
    later still get the call). A host adding its own hooks names them
    ``stalker_<host>_<action>``.

    :param pluginmanager: the :class:`pluggy.PluginManager`.
    :returns: nothing.
    """


@hookspec(historic=True)
def stalker_plugins_configure(config: Any) -> None:
    """Perform initial configuration after all plugins are registered.

    Called once by :func:`~stalker_core.plugins.get_plugin_manager` (historic:
    replayed to plugins registered afterwards).

    :param config: the configuration object given to ``get_plugin_manager``
        (``None`` when none was given).
    :returns: nothing.
    """


# -------------------------------------------------------------------------
# hosts
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def stalker_host_get(context: Context | None) -> Host | None:
    """Return the host adapter of the running application.

    Called by :func:`stalker_core.workflows.get_host` whenever the workflows
    need the active host (the CLI, a DCC panel, the launcher).

    Stops at first non-None result.

    :param context: the current context, when known, else ``None``.
    :returns: an object implementing :class:`stalker_core.hosts.Host`, or
        ``None`` when the plugin's application is not running.

    Implementing in a host adapter: answer only inside your application
    (e.g. the Blender plugin answers when ``bpy`` is importable and runs as
    Blender). The standalone host implements it with ``trylast=True`` so it
    answers only when no application did.
    """


# -------------------------------------------------------------------------
# work files: save and open
# -------------------------------------------------------------------------


@hookspec
def stalker_workfile_before_save(
    host: Host, context: Context, version: Version, path: Path
) -> None:
    """Check or prepare a save as version, before the host writes anything.

    Called by :func:`~stalker_core.workflows.save_as_version` after the
    Version row is flushed (its number is final) and its folder exists, and
    before the host saves.

    :param host: the host about to save.
    :param context: project, task, version (the new one) and user.
    :param version: the new, not yet committed Version.
    :param path: the absolute path the host will save to.
    :returns: nothing. Raise :class:`~stalker_core.exceptions.VetoError`
        with the reason to refuse the save: no Version row remains and no
        file is written. Any other exception aborts the save too and is
        reported as a :class:`~stalker_core.exceptions.PluginError`.
    """


@hookspec
def stalker_workfile_after_save(
    host: Host, context: Context, version: Version, path: Path
) -> None:
    """React to a successful save as version, before the commit.

    Called by :func:`~stalker_core.workflows.save_as_version` after the host
    saved ``path``. Record extra data on ``version`` here (it is committed
    next). Raising aborts the whole save: the Version row is rolled back and
    the saved file removed.

    :param host: the host that saved.
    :param context: project, task, version and user.
    :param version: the new Version.
    :param path: the saved file.
    :returns: nothing.
    """


@hookspec
def stalker_workfile_before_open(
    host: Host, context: Context, version: Version, path: Path
) -> None:
    """Check an open before the host discards its scene.

    Called by :func:`~stalker_core.workflows.open_version` after the unsaved
    changes check. Raise :class:`~stalker_core.exceptions.VetoError` to
    refuse (e.g. the file is locked by another artist).

    :param host: the host about to open.
    :param context: context of the version being opened.
    :param version: the Version to open.
    :param path: its absolute file path.
    :returns: nothing.
    """


@hookspec
def stalker_workfile_after_open(
    host: Host, context: Context, version: Version, path: Path
) -> list[SceneCheck] | None:
    """Check a scene just opened (outdated references, wrong frame range ...).

    Called by :func:`~stalker_core.workflows.open_version` after the host
    opened ``path``.

    :param host: the host with the scene open.
    :param context: context of the opened version.
    :param version: the opened Version.
    :param path: the opened file.
    :returns: a list of :class:`~stalker_core.plugins.api.SceneCheck`
        (title, message, severity and an optional ``fix`` callable), or
        ``None``. All results are collected into the open result.
    """


# -------------------------------------------------------------------------
# publishing: collect -> validate -> extract -> integrate
# -------------------------------------------------------------------------


@hookspec
def stalker_publish_collect(
    host: Host, context: Context, version: Version
) -> list[PublishItem] | None:
    """Collect what a publish of ``version`` is made of.

    Called first by :func:`~stalker_core.workflows.publish`. Collectors may
    query the database (once, in bulk) and put what validators need into
    ``PublishItem.data``; validators themselves never query.

    :param host: the host with the version's scene open.
    :param context: context of the version being published.
    :param version: the Version being published.
    :returns: a list of :class:`~stalker_core.plugins.api.PublishItem`
        (items of all collectors are concatenated), or ``None``.
    """


@hookspec
def stalker_publish_overridden_checks(
    host: Host, context: Context, items: list[PublishItem]
) -> list[str] | None:
    """Name the checks this plugin performs itself, instead of generic validators.

    Called once per validation run (by :func:`~stalker_core.workflows.publish`
    and :func:`~stalker_core.workflows.validate`, after collection and before
    any validator). A validator declares the check it performs with
    :func:`stalker_core.plugins.api.check` (``@check("frame_range")``); every
    validator of *another* plugin whose check id is returned here is skipped
    for this run, so an artist sees each problem once, reported by the most
    specific plugin. Skipped checks are listed in ``PublishReport.overridden``.

    Typical implementer: a host plugin whose validators check the same thing
    as a generic one, better (Blender checks the frame range together with
    the preview range and frame step, and unsaved changes together with
    edited images). Answer only for your own host, so the generic checks
    still run everywhere else::

        @hookimpl
        def stalker_publish_overridden_checks(host):
            return ["frame_range", "unsaved_changes"] if is_blender_host(host) else None

    The built-in publish plugin's check ids are ``scene_saved``,
    ``unsaved_changes``, ``version_match``, ``file_location``,
    ``frame_range``, ``fps`` and ``references``. A studio plugin may also
    answer here to turn a built-in check off.

    :param host: the host being published from.
    :param context: the publish context.
    :param items: every collected item.
    :returns: a list of check ids (lower-case words joined by dots), or
        ``None``. Anything else is a
        :class:`~stalker_core.exceptions.PluginError` naming the plugin.
    """


@hookspec
def stalker_publish_validate(
    host: Host, context: Context, item: PublishItem
) -> list[ValidationResult] | None:
    """Validate one collected item.

    Called for every item after collection. Publishing stops before any
    extraction when a result has severity ``"error"``. A result may carry a
    ``repair`` callable that :func:`~stalker_core.workflows.repair` runs
    before validation is run again.

    :param host: the host.
    :param context: the publish context.
    :param item: the item to check.
    :returns: a list of
        :class:`~stalker_core.plugins.api.ValidationResult` (only the
        problems found; an empty list or ``None`` when all is well). The
        ``plugin`` and ``item`` fields are filled in by the core, and
        ``check`` with the implementation's declared check id.

    Declare the check an implementation performs with
    ``@check("<id>")`` (:func:`stalker_core.plugins.api.check`) so that a more
    specific plugin can take it over through
    ``stalker_publish_overridden_checks``; such an implementation is then
    not called at all for that run.
    """


@hookspec
def stalker_publish_extract(
    host: Host, context: Context, item: PublishItem, staging_dir: Path
) -> list[Representation] | None:
    """Write the files of one item into ``staging_dir``.

    Called for every item after validation passed. Extractors write only
    inside ``staging_dir`` (a fresh private folder) and never into the
    published location.

    The built-in publish plugin extracts the ``workfile`` item with the
    host's optional ``"export"`` capability when the host has it
    (:class:`~stalker_core.plugins.api.ExportHost`: Blender writes
    a copy whose external paths do not depend on its folder) and copies the
    version's file byte for byte otherwise. A host plugin therefore does not
    extract the work file again; it extracts only what else it has (caches,
    cameras ...).

    :param host: the host.
    :param context: the publish context.
    :param item: the item to extract.
    :param staging_dir: the folder to write into.
    :returns: a list of
        :class:`~stalker_core.plugins.api.Representation` (a name and
        the path of a file inside ``staging_dir``), or ``None``.
    """


@hookspec
def stalker_publish_integrate(
    context: Context,
    item: PublishItem,
    representations: list[Representation],
    transaction: PublishTransaction,
) -> None:
    """Plan where the extracted files of one item go.

    Called for every item after extraction. Add files with
    ``transaction.add(source, destination)``; do not copy anything yourself.
    The core commits the transaction after all integrators ran: it stages
    copies next to the destinations, then renames them into place without
    ever replacing an existing file; on any failure it removes everything it
    placed and rolls back the database.

    :param context: the publish context.
    :param item: the item.
    :param representations: what the extractors produced for the item.
    :param transaction: the file transaction to add to (see
        :class:`~stalker_core.plugins.api.PublishTransaction` for what an
        integrator may call on it).
    :returns: nothing.
    """


@hookspec
def stalker_publish_after(context: Context, version: Version, report: PublishReport) -> None:
    """React to a finished, committed publish (notifications, version-up ...).

    Called by :func:`~stalker_core.workflows.publish` after the commit.
    Every implementation is called, also when an earlier one raised: each
    exception is recorded in ``report.failures`` as a
    :class:`~stalker_core.plugins.api.HookFailure` (plugin, hook,
    exception), added to ``report.warnings`` as text and logged, and never
    undoes the publish. A wrapper sees the results of the implementations
    that did not raise.

    :param context: the publish context.
    :param version: the published Version.
    :param report: what was validated and which files were registered.
    :returns: nothing.
    """


# -------------------------------------------------------------------------
# references
# -------------------------------------------------------------------------


@hookspec
def stalker_references_before_update(
    host: Host, context: Context | None, container: Container, version: Version
) -> None:
    """Check the update of one reference to ``version``.

    Called by :func:`~stalker_core.workflows.update_references` for every
    reference about to be updated (locked references are never offered).
    Raise :class:`~stalker_core.exceptions.VetoError` to keep this reference
    as it is; the others are still updated and the veto is reported.

    :param host: the host.
    :param context: the scene's context, when known.
    :param container: the reference.
    :param version: the version it would be updated to.
    :returns: nothing.
    """


# -------------------------------------------------------------------------
# templates
# -------------------------------------------------------------------------


@hookspec
def stalker_template_environment() -> dict[str, dict[str, Any]] | None:
    """Contribute Jinja2 filters, globals and tests to the filename templates.

    Called by :func:`stalker_core.plugins.templates.template_engine` the
    first time a plugin manager's template engine is needed (the workflows,
    e.g. :func:`~stalker_core.workflows.save_as_version`, and the ``stalker``
    command ask for it), and again only when the plugins implementing this
    hook change. Called in the thread that first needs the engine; the
    contributed callables may be called from any thread afterwards.

    Every implementation is called and the contributions are merged into
    one sandboxed engine. Names must be unique: two plugins contributing the
    same filter, global or test is a
    :class:`~stalker_core.exceptions.PluginError` naming both plugins, and so
    is reusing a Jinja2 built-in filter, test or global, or (for globals) a
    template variable (``version``, ``task``, ``project``, ``parent_tasks``,
    ``asset``, ``shot``, ``sequence``, ``scene``, ``type``, ``extension``).
    Prefix names with your studio or plugin (``studio_slug``) to stay clear
    of others. Templates run in a sandbox: a filter receives the values the
    template gives it and should return plain data (strings, numbers)::

        @hookimpl
        def stalker_template_environment():
            return {
                "filters": {"studio_slug": lambda s: s.lower().replace(" ", "_")},
                "globals": {"studio_code": "ACME"},
                "tests": {"studio_hero": lambda task: task.name.startswith("Hero")},
            }

    A FilenameTemplate using ``{{ task.name|studio_slug }}`` then renders
    wherever this plugin is loaded; where it is not, rendering raises
    :class:`~stalker_core.exceptions.TemplateRenderError` naming the
    missing filter.

    :returns: a mapping with the optional keys ``"filters"`` (name ->
        callable), ``"globals"`` (name -> value or callable) and
        ``"tests"`` (name -> callable returning a bool), or ``None``. Any
        other key or shape is a :class:`~stalker_core.exceptions.PluginError`
        naming the plugin.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# user interface
# -------------------------------------------------------------------------


@hookspec
def stalker_ui_panels() -> list[PanelSpec] | None:
    """Add panels to the host menus and to ``stalker ui NAME``.

    Called by :func:`stalker_core.ui.registry.panel_specs` each time a menu
    is built or a panel is asked for by name. The four built-in panels
    (``workfiles``, ``publish``, ``loader``, ``inventory``) come from the
    core's default plugin through this same hook. Answer without importing
    Qt: the view is a dotted path imported when the panel is first shown::

        @hookimpl
        def stalker_ui_panels():
            return [PanelSpec("review", "Review", "my_studio.review:ReviewPanel", order=50)]

    A name given twice is a :class:`~stalker_core.exceptions.PluginError`
    naming both plugins; a panel replaces a built-in one only by being
    registered instead of the default plugin (``stalker plugins``).

    :returns: a list of :class:`~stalker_core.plugins.api.PanelSpec`, or ``None``.

    .. versionadded:: 0.1
    """


@hookspec
def stalker_ui_actions(host: Host, location: str) -> list[UIAction] | None:
    """Offer actions in a host menu, the Loader or the Scene Inventory.

    Called with ``location`` ``"menu"`` when a host builds its "Stalker"
    menu, ``"loader"`` when the Loader lists what it can do with a published
    version, and ``"inventory"`` for the Scene Inventory's context menu.
    Return only the actions that make sense for this ``host`` (test it with
    :func:`~stalker_core.plugins.api.host_supports`), e.g. Maya offers
    "Reference" and "Import", Nuke "Read node"::

        @hookimpl
        def stalker_ui_actions(host, location):
            if location != "loader" or host.name != "nuke":
                return None
            return [UIAction("nuke.read", "Read node", "loader", _make_read,
                             extensions=(".exr", ".mov"))]

    The core's default plugin offers "Reference" for every host with the
    ``references`` capability. Actions run on the host's main thread; see
    :class:`~stalker_core.plugins.api.UIAction` for the arguments ``run`` gets.

    :param host: the current host.
    :param location: ``"menu"``, ``"loader"`` or ``"inventory"``.
    :returns: a list of :class:`~stalker_core.plugins.api.UIAction`, or ``None``.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# launching applications
# -------------------------------------------------------------------------


@hookspec
def stalker_launch_discover(application: str) -> list[ApplicationInstall] | None:
    """Find installs of ``application`` in the places a host plugin knows.

    Called by :func:`stalker_core.workflows.launch.find_installs` each time
    the launcher resolves an application, after the executables configured
    in ``[applications.NAME]`` (those win when both name the same variant).
    Look only where the application usually lives and return quickly (no
    starting of the program; read version numbers from paths or files)::

        @hookimpl
        def stalker_launch_discover(application):
            if application != "houdini":
                return None
            return [ApplicationInstall("houdini", p.name.split("-")[-1], p / "bin/houdini")
                    for p in Path("/opt").glob("hfs*") if (p / "bin/houdini").is_file()]

    :param application: the application's name in the configuration.
    :returns: a list of :class:`~stalker_core.plugins.api.ApplicationInstall`, or ``None``.

    .. versionadded:: 0.1
    """


@hookspec
def stalker_launch_prepare(
    application: str, variant: str, task: Any, env: dict[str, str]
) -> None:
    """Add to the environment an application is started with.

    Called by :func:`stalker_core.workflows.launch.build_environment` after
    the core has set ``STALKER_TASK_ID``, ``STALKER_DATABASE_URL``,
    ``STALKER_PYTHONPATH`` and the application's configured ``env``, and
    removed what must not leak from the launcher (its virtualenv, Qt plugin
    paths). Implementations change ``env`` in place, in pluggy's order
    (``tryfirst``/``trylast``); a host plugin puts its start-up location
    there (Blender's scripts folder, ``MAYA_MODULE_PATH``, ``NUKE_PATH``)::

        @hookimpl
        def stalker_launch_prepare(application, env):
            if application == "nuke":
                env["NUKE_PATH"] = os.pathsep.join(filter(None, [STARTUP, env.get("NUKE_PATH")]))

    Read nothing from ``os.environ``: ``env`` is the whole environment to be,
    so that the result depends only on the arguments.

    :param application: the application's name in the configuration.
    :param variant: the variant being started.
    :param task: the :class:`~stalker_core.models.task.Task` it is started for.
    :param env: the environment, changed in place.
    :returns: nothing; a returned value is ignored.

    .. versionadded:: 0.1
    """


@hookspec
def stalker_launch_before_start(
    application: str, variant: str, env: dict[str, str]
) -> list[str] | None:
    """Prepare files an application needs before it starts; say what was done.

    Called by :func:`stalker_core.workflows.launch.start` just before the
    program is started, after :func:`~stalker_core.workflows.launch.plan_launch`
    (``--dry-run`` never calls it). Use it only for what an environment
    variable cannot do, e.g. the Krita plugin enables its Python plugin in
    the ``kritarc`` of the user the application runs as (found through
    ``env``), and returns a sentence saying so, which the launcher prints::

        @hookimpl
        def stalker_launch_before_start(application, env):
            if application == "krita" and enable_plugin(kritarc_of(env)):
                return [f"enabled the Stalker plugin in {kritarc_of(env)}"]
            return None

    :param application: the application's name in the configuration.
    :param variant: the variant being started.
    :param env: the environment the program starts with (do not change it here).
    :returns: sentences describing what was changed on disk, or ``None``.

    .. versionadded:: 0.1
    """

"""FAKE ``maya.cmds`` - a stateful stand-in for the subset ``stalker_maya`` calls. Not Maya.

Modelled commands (each with only the flags listed in its ``_FLAGS`` entry,
long or short name): ``file`` (``-i`` import included), ``fileInfo``, ``playbackOptions``,
``currentUnit``, ``sets``, ``addAttr``, ``setAttr``, ``getAttr``,
``attributeQuery``, ``objExists``, ``ls``, ``delete``, ``namespace``,
``referenceQuery``, ``about``, ``createNode`` (any type: a name and
nothing more), ``loadPlugin``/``pluginInfo`` (only ``AbcExport``, which
exists as a command once loaded) and, for the start-up menu, ``menu``,
``menuItem``, ``deleteUI`` and ``warning``. Any other flag raises ``TypeError`` (as
Maya does for an invalid flag), any other command ``AttributeError``.

The scene is one module-level object (Maya has one scene per process);
:func:`_reset` (fake-only) brings back a fresh session. Files are written and
read as Maya ASCII by :mod:`maya._ma`; ``mayaBinary`` is *not* modelled and
raises ``RuntimeError`` naming the fake. Simplifications, on purpose: a
reference brings no nodes into the scene (only its reference node and
namespace), changing the time unit leaves the playback range numbers as they
are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import maya

from . import _ma

#: the time unit names Maya documents for ``currentUnit -time``
TIME_UNITS = frozenset({
    "hour", "min", "sec", "millisec", "game", "film", "pal", "ntsc", "show", "palf", "ntscf",
    "23.976fps", "29.97fps", "29.97df", "47.952fps", "59.94fps", "44100fps", "48000fps",
    "2fps", "3fps", "4fps", "5fps", "6fps", "8fps", "10fps", "12fps", "16fps", "20fps",
    "40fps", "75fps", "80fps", "100fps", "120fps", "125fps", "150fps", "200fps", "240fps",
    "250fps", "300fps", "375fps", "400fps", "500fps", "600fps", "750fps", "1200fps",
    "1500fps", "2000fps", "3000fps", "6000fps",
})

#: objectSets every Maya scene has (not written to files)
DEFAULT_SETS = ("defaultLightSet", "defaultObjectSet")

_FLAGS: dict[str, dict[str, str]] = {
    "file": {
        "query": "q", "sceneName": "sn", "modified": "mf", "rename": "rn", "save": "s",
        "type": "typ", "open": "o", "force": "f", "newFile": "new", "reference": "r",
        "namespace": "ns", "loadReference": "lr", "removeReference": "rr",
        "referenceNode": "rfn", "prompt": "pmt", "i": "i", "returnNewNodes": "rnn",
    },
    "fileInfo": {"query": "q", "remove": "rm"},
    "playbackOptions": {
        "query": "q", "minTime": "min", "maxTime": "max",
        "animationStartTime": "ast", "animationEndTime": "aet",
    },
    "currentUnit": {"query": "q", "time": "t"},
    "sets": {"name": "n", "empty": "em", "query": "q"},
    "addAttr": {"longName": "ln", "dataType": "dt"},
    "setAttr": {"type": "typ"},
    "getAttr": {},
    "attributeQuery": {"node": "n", "exists": "ex"},
    "objExists": {},
    "ls": {"type": "typ"},
    "delete": {},
    "namespace": {"exists": "ex", "removeNamespace": "rm", "deleteNamespaceContent": "dnc"},
    "referenceQuery": {
        "filename": "f", "withoutCopyNumber": "wcn", "namespace": "ns",
        "referenceNode": "rfn", "isLoaded": "il",
    },
    "about": {"version": "v", "batch": "b"},
    "createNode": {"name": "n"},
    "loadPlugin": {"quiet": "qt"},
    "pluginInfo": {"query": "q", "loaded": "l"},
    "AbcExport": {"jobArg": "j"},
    "menu": {"label": "l", "parent": "p", "tearOff": "to", "exists": "ex",
             "deleteAllItems": "dai", "edit": "e", "postMenuCommand": "pmc"},
    "menuItem": {"label": "l", "parent": "p", "enable": "en", "command": "c", "divider": "d",
                 "annotation": "ann"},
    "deleteUI": {},
    "warning": {},
}


class _Session:
    """The one scene of the fake Maya session."""

    def __init__(self) -> None:
        self.scene_name = ""
        self.modified = False
        self.data = _ma.SceneData()
        self.namespaces: set[str] = set()
        self.unloaded: set[str] = set()
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []


_session = _Session()


def _reset() -> None:
    """FAKE ONLY: start a fresh session (an untitled empty scene)."""
    global _session
    _session = _Session()


def _calls() -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """FAKE ONLY: the commands called so far, with their normalised flags."""
    return list(_session.calls)


def _opts(command: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Normalise short flag names to long ones; raise ``TypeError`` on an unknown flag."""
    spec = _FLAGS[command]
    by_short = {short: long for long, short in spec.items()}
    opts: dict[str, Any] = {}
    for key, value in kwargs.items():
        long = key if key in spec else by_short.get(key)
        if long is None:
            raise TypeError(
                f"Invalid flag '{key}' (fake maya.cmds.{command} models {sorted(spec)})"
            )
        opts[long] = value
    _session.calls.append((command, args, opts))
    return opts


def _changed() -> None:
    _session.modified = True


# --- file -----------------------------------------------------------------------------


def file(*args: Any, **kwargs: Any) -> Any:  # noqa: C901 - one command, many modes
    """The ``file`` command: query, rename, save, open, new, reference, loadReference, remove."""
    opts = _opts("file", args, kwargs)
    s = _session
    if opts.get("query"):
        if opts.get("sceneName"):
            return s.scene_name
        if opts.get("modified"):
            return s.modified
        if opts.get("reference"):
            return [r.path for r in s.data.references]
        raise RuntimeError("fake file -query: only -sceneName, -modified, -reference modelled")
    if "modified" in opts:  # file -modified true|false (edit): set the flag
        s.modified = bool(opts["modified"])
        return None
    if "rename" in opts:
        s.scene_name = Path(opts["rename"]).as_posix()
        return s.scene_name
    if opts.get("save"):
        return _save(opts.get("type", "mayaAscii"))
    if opts.get("newFile"):
        if s.modified and not opts.get("force"):
            raise RuntimeError("Unsaved changes.")
        _reset_scene()
        return ""
    if opts.get("open"):
        return _open(_path_arg(args), bool(opts.get("force")))
    if opts.get("reference"):
        return _reference(_path_arg(args), opts.get("namespace"))
    if opts.get("i"):
        return _import(_path_arg(args), opts)
    if "loadReference" in opts:
        return _load_reference(opts["loadReference"], _path_arg(args))
    if opts.get("removeReference"):
        return _remove_reference(opts.get("referenceNode") or _path_arg(args))
    raise RuntimeError(f"fake file: mode not modelled: {sorted(opts)}")


def _path_arg(args: tuple[Any, ...]) -> str:
    if len(args) != 1 or not isinstance(args[0], str):
        raise TypeError(f"file: expected one file path argument, got {args!r}")
    return args[0]


def _reset_scene() -> None:
    """A new untitled scene; the call log is kept."""
    calls = _session.calls
    _reset()
    _session.calls = calls


def _save(file_type: str) -> str:
    s = _session
    if not s.scene_name:
        raise RuntimeError("The scene has no name: use file -rename first.")
    if file_type == "mayaBinary":
        raise RuntimeError("the FAKE maya.cmds does not model mayaBinary; save as mayaAscii")
    if file_type != "mayaAscii":
        raise RuntimeError(f"Invalid file type '{file_type}'")
    from .api import OpenMaya

    if not OpenMaya._fire(OpenMaya.MSceneMessage.kBeforeSaveCheck):
        raise RuntimeError("The save was cancelled by a kBeforeSaveCheck callback.")
    path = Path(s.scene_name)
    text = _ma.write(s.data, path.name)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise RuntimeError(f"Error writing file {path}: {exc.strerror}") from None
    s.modified = False
    return s.scene_name


def _open(path: str, force: bool) -> str:
    s = _session
    if s.modified and not force:
        raise RuntimeError("Unsaved changes.")
    target = Path(path)
    if not target.is_file():
        raise RuntimeError(f'File not found: "{path}"')
    if target.suffix.lower() == ".mb":
        raise RuntimeError("the FAKE maya.cmds does not model mayaBinary files")
    data = _ma.read(target.read_text(encoding="utf-8"))
    _reset_scene()
    s = _session
    s.data = data
    for ref in data.references:
        s.namespaces.add(ref.namespace)
        data.nodes.setdefault(ref.node, _ma.Node("reference"))
        if not Path(ref.path).is_file():
            s.unloaded.add(ref.node)
    s.scene_name = target.as_posix()
    from .api import OpenMaya

    OpenMaya._fire(OpenMaya.MSceneMessage.kAfterOpen)
    return s.scene_name


def _import(path: str, opts: dict[str, Any]) -> Any:
    """``file -i``: the file's nodes (and set members) come in under a new namespace.

    Modelled: a ``.ma`` file of the fake's subset holding no references, imported
    into ``-namespace`` (made unique with a number, as Maya does on a clash).
    Its ``fileInfo``, time unit and playback range are not imported (Maya's
    import keeps the scene's own). Returns the new nodes with
    ``-returnNewNodes``, else the file name.
    """
    s = _session
    target = Path(path)
    if not target.is_file():
        raise RuntimeError(f'File not found: "{path}"')
    file_type = opts.get("type", "mayaAscii")
    if file_type == "mayaBinary" or target.suffix.lower() == ".mb":
        raise RuntimeError("the FAKE maya.cmds does not model importing mayaBinary files")
    if file_type != "mayaAscii":
        raise RuntimeError(f"Invalid file type '{file_type}'")
    if not opts.get("namespace"):
        raise RuntimeError("the FAKE maya.cmds models file -i into a -namespace only")
    data = _ma.read(target.read_text(encoding="utf-8"))
    if data.references:
        raise RuntimeError("the FAKE maya.cmds does not model importing a file with references")
    ns = _unique(opts["namespace"], s.namespaces)
    s.namespaces.add(ns)
    new = []
    for name, node in data.nodes.items():
        s.data.nodes[f"{ns}:{name}"] = _ma.Node(node.type, dict(node.attrs))
        new.append(f"{ns}:{name}")
    for name, members in data.members.items():
        s.data.members[f"{ns}:{name}"] = [f"{ns}:{m}" for m in members]
    _changed()
    return new if opts.get("returnNewNodes") else target.as_posix()


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    n = 1
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"


def _reference(path: str, namespace: str | None) -> str:
    s = _session
    if not Path(path).is_file():
        raise RuntimeError(f'File not found: "{path}"')
    ns = _unique(namespace or Path(path).stem, s.namespaces)
    node = _unique(f"{ns}RN", set(s.data.nodes))
    s.namespaces.add(ns)
    s.data.nodes[node] = _ma.Node("reference")
    posix = Path(path).as_posix()
    copies = sum(1 for r in s.data.references if r.path == posix)
    s.data.references.append(_ma.Reference(node, ns, posix))
    _changed()
    return f"{posix}{{{copies}}}" if copies else posix


def _ref(node: str) -> _ma.Reference:
    """The reference of a reference node, or of a path (``path{n}``: its n-th copy)."""
    copies: dict[str, int] = {}
    for ref in _session.data.references:
        n = copies.get(ref.path, 0)
        copies[ref.path] = n + 1
        if node in (ref.node, f"{ref.path}{{{n}}}" if n else ref.path):
            return ref
    raise RuntimeError(f"Reference node '{node}' not found")


def _load_reference(node: str, path: str) -> str:
    ref = _ref(node)
    if not Path(path).is_file():
        raise RuntimeError(f'File not found: "{path}"')
    ref.path = Path(path).as_posix()
    _session.unloaded.discard(ref.node)
    _changed()
    return ref.path


def _remove_reference(node: str) -> None:
    ref = _ref(node)
    _session.data.references.remove(ref)
    _session.data.nodes.pop(ref.node, None)
    _session.unloaded.discard(ref.node)
    _changed()  # Maya leaves the (now empty) namespace behind


def _with_copy_number(ref: _ma.Reference) -> str:
    same = [r for r in _session.data.references if r.path == ref.path]
    n = same.index(ref)
    return f"{ref.path}{{{n}}}" if n else ref.path


def referenceQuery(target: str, **kwargs: Any) -> Any:
    """``referenceQuery``: ``filename``, ``namespace`` (":ns"), ``referenceNode``, ``isLoaded``."""
    opts = _opts("referenceQuery", (target,), kwargs)
    ref = _ref(target)
    if opts.get("filename"):
        if opts.get("withoutCopyNumber"):
            return ref.path
        return _with_copy_number(ref)
    if opts.get("namespace"):
        return f":{ref.namespace}"
    if opts.get("referenceNode"):
        return ref.node
    if opts.get("isLoaded"):
        return ref.node not in _session.unloaded
    raise RuntimeError("fake referenceQuery: mode not modelled")


# --- scene settings -------------------------------------------------------------------


def fileInfo(*args: Any, **kwargs: Any) -> Any:
    """``fileInfo``: set ``(key, value)``, query all / one key, ``remove=key``."""
    opts = _opts("fileInfo", args, kwargs)
    info = _session.data.file_info
    if opts.get("query"):
        if args:
            return [info[args[0]]] if args[0] in info else []
        return [item for pair in info.items() for item in pair]
    if "remove" in opts:
        info.pop(opts["remove"], None)
        _changed()
        return None
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        raise TypeError(f"fileInfo: expected (key, value) strings, got {args!r}")
    info[args[0]] = args[1]
    _changed()
    return None


_PLAYBACK = {"minTime": "min", "maxTime": "max", "animationStartTime": "ast",
             "animationEndTime": "aet"}


def playbackOptions(**kwargs: Any) -> Any:
    """``playbackOptions``: query one of the four times, or edit any of them."""
    opts = _opts("playbackOptions", (), kwargs)
    playback = _session.data.playback
    if opts.pop("query", False):
        [flag] = opts
        return playback[_PLAYBACK[flag]]
    for flag, value in opts.items():
        playback[_PLAYBACK[flag]] = float(value)
    _changed()
    return None


def currentUnit(**kwargs: Any) -> Any:
    """``currentUnit -time``: query or set the time unit (documented unit names only)."""
    opts = _opts("currentUnit", (), kwargs)
    if opts.get("query"):
        return _session.data.time_unit
    unit = opts["time"]
    if unit not in TIME_UNITS:
        raise RuntimeError(f"Invalid time unit: {unit}")
    _session.data.time_unit = unit
    _changed()
    return None


# --- nodes ------------------------------------------------------------------------------


def _all_nodes() -> dict[str, str]:
    nodes = {name: "objectSet" for name in DEFAULT_SETS}
    nodes.update({name: node.type for name, node in _session.data.nodes.items()})
    return nodes


def sets(*args: Any, **kwargs: Any) -> Any:
    """``sets``: create an objectSet (``name``, ``empty`` or members) or query its members."""
    opts = _opts("sets", args, kwargs)
    if opts.get("query"):
        [name] = args
        return list(_session.data.members.get(name, [])) or None
    missing = [a for a in args if a not in _all_nodes()]
    if missing:
        raise ValueError(f"No object matches name: {missing[0]}")
    name = _unique(opts.get("name", "set"), set(_all_nodes()))
    _session.data.nodes[name] = _ma.Node("objectSet")
    _session.data.members[name] = list(args)
    _changed()
    return name


def _node(name: str) -> _ma.Node:
    node = _session.data.nodes.get(name)
    if node is None:
        raise ValueError(f"No object matches name: {name}")
    return node


def addAttr(node: str, **kwargs: Any) -> None:
    """``addAttr``: add a string attribute (``longName``, ``dataType="string"`` only)."""
    opts = _opts("addAttr", (node,), kwargs)
    if opts.get("dataType") != "string":
        raise RuntimeError("the fake addAttr models only dataType='string'")
    target = _node(node)
    if opts["longName"] in target.attrs:
        raise RuntimeError(f"Found more than one attribute named '{opts['longName']}'")
    target.attrs[opts["longName"]] = ""
    _changed()


def _plug(plug: str) -> tuple[_ma.Node, str]:
    node, _, attr = plug.partition(".")
    target = _node(node)
    if attr not in target.attrs:
        raise ValueError(f"No object matches name: {plug}")
    return target, attr


def setAttr(plug: str, value: Any, **kwargs: Any) -> None:
    """``setAttr node.attr value type="string"`` on an added string attribute."""
    opts = _opts("setAttr", (plug, value), kwargs)
    if opts.get("type") != "string" or not isinstance(value, str):
        raise RuntimeError("the fake setAttr models only type='string' with a str value")
    target, attr = _plug(plug)
    target.attrs[attr] = value
    _changed()


def getAttr(plug: str, **kwargs: Any) -> str:
    """``getAttr node.attr`` of an added string attribute."""
    _opts("getAttr", (plug,), kwargs)
    target, attr = _plug(plug)
    return target.attrs[attr]


def attributeQuery(attr: str, **kwargs: Any) -> bool:
    """``attributeQuery attr -node n -exists``."""
    opts = _opts("attributeQuery", (attr,), kwargs)
    if not opts.get("exists"):
        raise RuntimeError("fake attributeQuery: only -exists is modelled")
    return attr in _node(opts["node"]).attrs


def objExists(name: str) -> bool:
    """``objExists`` for a node name or ``node.attr``."""
    _opts("objExists", (name,), {})
    node, _, attr = name.partition(".")
    if node not in _all_nodes():
        return False
    return not attr or attr in _session.data.nodes.get(node, _ma.Node("")).attrs


def ls(**kwargs: Any) -> list[str]:
    """``ls -type t``: the names of the nodes of one type (or of a list of types)."""
    opts = _opts("ls", (), kwargs)
    types = opts["type"] if isinstance(opts["type"], list) else [opts["type"]]
    return [name for name, kind in _all_nodes().items() if kind in types]


def createNode(node_type: str, **kwargs: Any) -> str:
    """``createNode type -name n``: a node with no attributes; returns its (unique) name."""
    opts = _opts("createNode", (node_type,), kwargs)
    name = _unique(opts.get("name", f"{node_type}1"), set(_all_nodes()))
    _session.data.nodes[name] = _ma.Node(node_type)
    _changed()
    return name


#: FAKE ONLY: plug-ins loaded in this session
_plugins: set[str] = set()


def loadPlugin(name: str, **kwargs: Any) -> list[str]:
    """``loadPlugin``: only ``AbcExport`` is modelled."""
    _opts("loadPlugin", (name,), kwargs)
    if name != "AbcExport":
        raise RuntimeError(f"Plug-in, \"{name}\", was not found (the fake models AbcExport)")
    _plugins.add(name)
    return [name]


def pluginInfo(name: str, **kwargs: Any) -> bool:
    """``pluginInfo name -query -loaded``."""
    opts = _opts("pluginInfo", (name,), kwargs)
    if not (opts.get("query") and opts.get("loaded")):
        raise RuntimeError("fake pluginInfo: only -query -loaded is modelled")
    return name in _plugins


def _abc_export(**kwargs: Any) -> None:
    """``AbcExport -j "..."``: writes a FAKE cache file (text, not Alembic) for the job.

    Modelled job flags: ``-frameRange s e``, ``-root node`` (repeatable, a
    transform), ``-file path``, ``-uvWrite``, ``-worldSpace``,
    ``-dataFormat ogawa``. The file says it is a fake and lists the job.
    """
    opts = _opts("AbcExport", (), kwargs)
    tokens = _ma._tokens(opts["jobArg"])
    roots, first, last, target, i = [], None, None, None, 0
    while i < len(tokens):
        flag = tokens[i][0]
        if flag == "-frameRange":
            first, last = float(tokens[i + 1][0]), float(tokens[i + 2][0])
            i += 3
        elif flag in ("-root", "-file", "-dataFormat"):
            value = tokens[i + 1][0]
            if flag == "-root":
                if _all_nodes().get(value.lstrip("|")) != "transform":
                    raise RuntimeError(f"AbcExport: {value} is not a transform node")
                roots.append(value)
            elif flag == "-file":
                target = value
            elif value != "ogawa":
                raise RuntimeError(f"AbcExport: the fake models -dataFormat ogawa, not {value}")
            i += 2
        elif flag in ("-uvWrite", "-worldSpace"):
            i += 1
        else:
            raise RuntimeError(f"AbcExport: job flag not modelled by the fake: {flag}")
    if target is None or first is None or not roots:
        raise RuntimeError("AbcExport: the job needs -file, -frameRange and -root")
    try:
        Path(target).write_text(
            f"FAKE Alembic cache written by the test fake of maya.cmds\n"
            f"frameRange {first:g} {last:g}\nroots {' '.join(roots)}\n",
            encoding="utf-8",
        )
    except OSError as exc:
        raise RuntimeError(f"AbcExport: cannot write {target}: {exc.strerror}") from None


def __getattr__(name: str) -> Any:
    """Commands that exist only once their plug-in is loaded (``AbcExport``)."""
    if name == "AbcExport" and "AbcExport" in _plugins:
        return _abc_export
    raise AttributeError(f"module 'maya.cmds' has no attribute {name!r}")


def delete(*names: str) -> None:
    """``delete``: remove nodes."""
    _opts("delete", names, {})
    for name in names:
        _node(name)
        del _session.data.nodes[name]
        _session.data.members.pop(name, None)
    _changed()


def namespace(**kwargs: Any) -> Any:
    """``namespace -exists ns`` and ``namespace -removeNamespace ns -deleteNamespaceContent``."""
    opts = _opts("namespace", (), kwargs)
    if "exists" in opts:
        return opts["exists"].lstrip(":") in _session.namespaces
    if "removeNamespace" in opts:
        ns = opts["removeNamespace"].lstrip(":")
        if ns not in _session.namespaces:
            raise RuntimeError(f"Namespace '{ns}' does not exist.")
        if any(r.namespace == ns for r in _session.data.references):
            raise RuntimeError(f"Cannot remove namespace '{ns}': a reference uses it.")
        _session.namespaces.discard(ns)
        _changed()
        return None
    raise RuntimeError("fake namespace: mode not modelled")


def about(**kwargs: Any) -> Any:
    """``about -version`` / ``about -batch``; only when :data:`maya.pretend_inside_maya`."""
    opts = _opts("about", (), kwargs)
    if not maya.pretend_inside_maya:
        raise RuntimeError("the FAKE maya.cmds is not a running Maya (pretend_inside_maya is off)")
    if opts.get("version"):
        return _ma.MAYA_VERSION
    if opts.get("batch"):
        return _batch
    raise RuntimeError("fake about: mode not modelled")


#: FAKE ONLY: what ``about -batch`` answers when pretending to be Maya
_batch = False


# the user-interface commands live in maya/_ui.py (kept short); cmds exposes them
from ._ui import _menus, _open_menu, _warnings, deleteUI, menu, menuItem, warning  # noqa: E402, F401

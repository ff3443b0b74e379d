"""FAKE ``nuke`` module for tests: a stateful stand-in for the subset stalker_nuke calls.

**This is not Nuke.** It models exactly the part of Foundry's ``nuke`` Python
API that :mod:`stalker_nuke` uses, with the documented signatures (checked
against the published ``types-nuke`` stubs by mypy), and nothing else:

* the script: :func:`root` (the ``Root`` node: ``name`` is the script path or
  ``"Root"`` when unsaved; ``first_frame``, ``last_frame``, ``fps``,
  ``format``), :func:`modified`, :func:`scriptSaveAs`, :func:`scriptClear`,
  :func:`scriptReadFile`;
* nodes: :func:`createNode`, :func:`toNode`, :func:`allNodes`, :func:`delete`
  for the classes ``Read``, ``ReadGeo2``, ``Camera2`` and ``Write``, each with
  the knobs listed in :data:`NODE_KNOBS`, plus user knobs (:class:`String_Knob`,
  :class:`Int_Knob`, :class:`Boolean_Knob`) added with ``Node.addKnob``;
* :class:`Undo` groups (``begin``/``end``), recorded in :data:`undo_log`;
* :func:`execute` of a ``Write`` node: writes one small file per frame
  (not an image: the bytes ``FAKE FRAME <n>``);
* :data:`env` (``gui`` is False: this fake is ``nuke -t``), :func:`menu`
  (menus and commands, recorded so tests can invoke them; a ``/`` in a name
  makes sub-menus, as in Nuke), :func:`message`;
* :func:`executeInMainThreadWithResult`: from another thread the call waits
  until a test runs :func:`_process_events` (standing for Nuke's event loop) on
  the main thread. Like Nuke's own (``nuke/executeInMain.py``) it returns the
  result and does not carry an exception over (the caller gets ``None``);
  called on the main thread it raises, because Nuke would wait for itself.
  The FAKE gives up waiting after :data:`WAIT_LIMIT` seconds (Nuke: never);
* Nuke's main window: :func:`_open_main_window` (fake-only) makes a
  ``QMainWindow`` whose Qt class name is Nuke's, ``Foundry::UI::DockMainWindow``.

Scripts are written and read as real ``.nk`` text in the subset described in
:mod:`nuke._nkfile`. Anything not modelled raises: an unknown function is an
``AttributeError`` (module ``__getattr__``), an unknown knob a ``NameError``
(as Nuke's ``node[name]`` does) and an unknown node class a ``RuntimeError``.
:func:`_reset` (a test helper, not Nuke API) starts a fresh session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stalker_core.mainthread import MainThreadQueue, on_main_thread

from . import _nkfile

#: version string of the fake, written into scripts
NUKE_VERSION_STRING = "15.0v1 (fake)"
#: the knobs each modelled node class has (user knobs come on top)
NODE_KNOBS: dict[str, tuple[str, ...]] = {
    "Root": ("name", "first_frame", "last_frame", "fps", "format"),
    "Read": ("name", "file", "xpos", "ypos", "first", "last"),
    "ReadGeo2": ("name", "file", "xpos", "ypos"),
    "Camera2": ("name", "file", "read_from_file", "xpos", "ypos"),
    "Write": ("name", "file", "xpos", "ypos", "disable"),
}
_ROOT_DEFAULTS = {
    "name": "Root",
    "first_frame": 1,
    "last_frame": 100,
    "fps": 24.0,
    "format": "2048 1556 0 0 2048 1556 1 2K_Super_35(full-ap)",
}
_INT_KNOBS = {"first_frame", "last_frame", "xpos", "ypos", "first", "last"}
_BOOL_KNOBS = {"read_from_file", "disable"}
_FLOAT_KNOBS = {"fps"}

#: ``nuke.env``: the fake is the terminal (``nuke -t``): no GUI
env: dict[str, Any] = {"gui": False, "NukeVersionString": NUKE_VERSION_STRING}


class Knob:
    """A knob: a named value on a node (the fake keeps one Python value)."""

    _kind = "Knob"

    def __init__(self, name: str, label: str | None = None, value: Any = "") -> None:
        self._name = name
        self._label = label or name
        self._value = value
        self._node: Node | None = None

    def name(self) -> str:
        """The knob's name."""
        return self._name

    def value(self) -> Any:
        """The knob's value."""
        return self._value

    def getValue(self) -> Any:  # noqa: N802 - Nuke's name
        """The knob's value (``Array_Knob.getValue``)."""
        return self._value

    def setValue(self, val: Any) -> bool:  # noqa: N802 - Nuke's name
        """Set the value; marks the script modified and records it in an open undo group."""
        old = self._value
        self._value = self._coerce(val)
        _record(self, old)
        return True

    def _coerce(self, value: Any) -> Any:
        if self._name in _INT_KNOBS:
            return int(value)
        if self._name in _BOOL_KNOBS:
            return bool(value)
        if self._name in _FLOAT_KNOBS:
            return float(value)
        return "" if value is None else str(value)

    def _text(self) -> str:
        if isinstance(self._value, bool):
            return "true" if self._value else "false"
        if isinstance(self._value, float) and self._value.is_integer():
            return str(int(self._value))
        return str(self._value)

    def _from_text(self, text: str) -> None:
        if isinstance(self._value, bool) or self._name in _BOOL_KNOBS:
            self._value = text in ("true", "1")
        else:
            self._value = self._coerce(text)


class String_Knob(Knob):  # noqa: N801 - Nuke's name
    """A user string knob."""

    _kind = "String_Knob"

    def __init__(self, name: str, label: str | None = None, value: str = "") -> None:
        super().__init__(name, label, str(value))

    def _coerce(self, value: Any) -> Any:
        return str(value)


class Int_Knob(Knob):  # noqa: N801 - Nuke's name
    """A user integer knob."""

    _kind = "Int_Knob"

    def __init__(self, name: str, label: str | None = None) -> None:
        super().__init__(name, label, 0)

    def _coerce(self, value: Any) -> Any:
        return int(value)


class Boolean_Knob(Knob):  # noqa: N801 - Nuke's name
    """A user check box."""

    _kind = "Boolean_Knob"

    def __init__(self, name: str, label: str | None = None, value: bool = False) -> None:
        super().__init__(name, label, bool(value))

    def _coerce(self, value: Any) -> Any:
        return bool(value)

    def _from_text(self, text: str) -> None:
        self._value = text in ("true", "1")


class Format:
    """An image format (the value of the Root ``format`` knob)."""

    def __init__(self, text: str) -> None:
        words = text.split()
        try:
            self._width, self._height = int(words[0]), int(words[1])
            numbers = [w for w in words[2:] if re.fullmatch(r"[0-9.]+", w)]
            self._aspect = float(numbers[4]) if len(numbers) >= 5 else 1.0
        except (IndexError, ValueError):
            raise ValueError(f"bad format {text!r}") from None
        self._name = words[-1] if not re.fullmatch(r"[0-9.]+", words[-1]) else ""

    def width(self) -> int:
        """Width in pixels."""
        return self._width

    def height(self) -> int:
        """Height in pixels."""
        return self._height

    def pixelAspect(self) -> float:  # noqa: N802 - Nuke's name
        """Pixel aspect ratio."""
        return self._aspect

    def name(self) -> str:
        """The format's name ('' when unnamed)."""
        return self._name


class _FormatKnob(Knob):
    _kind = "Format_Knob"

    def value(self) -> Format:
        return Format(str(self._value))

    def _coerce(self, value: Any) -> Any:
        text = str(value)
        Format(text)
        return text


class Node:
    """A node of the script (one of :data:`NODE_KNOBS`' classes)."""

    def __init__(self, cls: str, name: str) -> None:
        if cls not in NODE_KNOBS:
            raise RuntimeError(f"{cls}: unknown command (the fake models {sorted(NODE_KNOBS)})")
        self._class = cls
        self._knobs: dict[str, Knob] = {}
        self._user: list[str] = []
        for knob_name in NODE_KNOBS[cls]:
            knob: Knob = _FormatKnob(knob_name) if knob_name == "format" else Knob(knob_name)
            knob._node = self
            knob._value = _default(cls, knob_name)
            self._knobs[knob_name] = knob
        self._knobs["name"]._value = name

    def Class(self) -> str:  # noqa: N802 - Nuke's name
        """The node class, e.g. ``"Read"``."""
        return self._class

    def name(self) -> str:
        """The node's name (for Root: the script path, ``"Root"`` when unsaved)."""
        return str(self._knobs["name"].value())

    def knob(self, p: str) -> Knob | None:
        """The knob named ``p``, or ``None``."""
        return self._knobs.get(p)

    def knobs(self) -> dict[str, Knob]:
        """All knobs by name."""
        return dict(self._knobs)

    def __getitem__(self, name: str) -> Knob:
        try:
            return self._knobs[name]
        except KeyError:
            raise NameError(f"knob {name} does not exist") from None

    def addKnob(self, knob: Knob) -> None:  # noqa: N802 - Nuke's name
        """Add a user knob (String_Knob, Int_Knob or Boolean_Knob)."""
        if not isinstance(knob, (String_Knob, Int_Knob, Boolean_Knob)):
            raise TypeError(f"the fake models only String/Int/Boolean user knobs, not {knob!r}")
        if knob.name() in self._knobs:
            raise ValueError(f"knob {knob.name()} already exists on {self.name()}")
        knob._node = self
        self._knobs[knob.name()] = knob
        self._user.append(knob.name())
        _state.modified = True

    def _block(self) -> _nkfile.Block:
        user = [(self._knobs[n]._kind, n) for n in self._user]
        return (self._class, user, [(n, k._text()) for n, k in self._knobs.items()])


class Root(Node):
    """The Root node: the script's settings, name and modified flag."""

    def modified(self) -> bool:
        """Whether the script changed since it was opened or saved."""
        return _state.modified

    def setModified(self, modified: bool) -> None:  # noqa: N802 - Nuke's name
        """Set the modified flag."""
        _state.modified = bool(modified)


def _default(cls: str, knob: str) -> Any:
    if cls == "Root":
        return _ROOT_DEFAULTS[knob]
    if knob in _INT_KNOBS:
        return 1 if knob in ("first", "last") else 0
    if knob in _BOOL_KNOBS:
        return False
    return ""


class _State:
    def __init__(self) -> None:
        self.root = Root("Root", "Root")
        self.nodes: list[Node] = []
        self.modified = False
        self.undo_depth = 0
        self.rendered: list[tuple[str, int, int]] = []


_state = _State()
#: the undo groups closed so far: (name, [(node name, knob name, old, new)])
undo_log: list[tuple[str, list[tuple[str, str, Any, Any]]]] = []
_open_group: list[tuple[str, list[tuple[str, str, Any, Any]]]] = []
#: menus created with :func:`menu`, by name
_menus: dict[str, Menu] = {}


def _record(knob: Knob, old: Any) -> None:
    _state.modified = True
    if _open_group and knob._node is not None:
        _open_group[-1][1].append((knob._node.name(), knob.name(), old, knob._value))


def _reset(gui: bool = False) -> None:
    """Test helper (not Nuke API): a fresh session, as if Nuke had just started."""
    global _state
    _state = _State()
    undo_log.clear()
    _open_group.clear()
    _menus.clear()
    messages.clear()
    _main_thread_calls.pump()  # nothing may wait from an earlier session
    env["gui"] = gui


class Undo:
    """Undo groups: changes between ``begin`` and ``end`` undo in one step."""

    @classmethod
    def begin(cls, name: str = "") -> None:
        """Open an undo group called ``name``."""
        _open_group.append((name, []))

    @classmethod
    def end(cls) -> None:
        """Close the innermost undo group."""
        if not _open_group:
            raise RuntimeError("Undo.end() without Undo.begin()")
        undo_log.append(_open_group.pop())


def root() -> Root:
    """The Root node of the script."""
    return _state.root


def modified() -> bool:
    """Whether the script has unsaved changes."""
    return _state.modified


def allNodes(filter: str | None = None) -> list[Node]:  # noqa: N802, A002 - Nuke's names
    """The nodes of the script (not Root), optionally only of class ``filter``."""
    return [n for n in _state.nodes if filter is None or n.Class() == filter]


def toNode(s: str) -> Node | None:  # noqa: N802 - Nuke's name
    """The node called ``s`` (``"root"`` is the Root node), or ``None``."""
    if s == "root":
        return _state.root
    return next((n for n in _state.nodes if n.name() == s), None)


def createNode(typ: str, knobs: str = "", inpanel: bool = True) -> Node:  # noqa: N802
    """Create a node of class ``typ`` named ``<class><n>`` (``knobs`` must be empty here).

    ``inpanel`` (open the node's panel) has no effect: the fake has no panels.
    """
    if knobs:
        raise NotImplementedError("the fake does not parse createNode's knobs string")
    created = Node(typ, _free_name(typ))
    _state.nodes.append(created)
    _state.modified = True
    return created


def _free_name(cls: str) -> str:
    """``<class without its version digits><n>``, as Nuke names nodes (ReadGeo2 -> ReadGeo1)."""
    base = re.sub(r"\d+$", "", cls)
    taken = {n.name() for n in _state.nodes}
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def delete(n: Node) -> None:
    """Delete node ``n``."""
    if n not in _state.nodes:
        raise ValueError("the node is not in the script (already deleted?)")
    _state.nodes.remove(n)
    _state.modified = True


def scriptClear() -> None:  # noqa: N802 - Nuke's name
    """Clear the script: no nodes, Root at its defaults and named ``"Root"``, not modified."""
    _reset_script()


def _reset_script() -> None:
    _state.root = Root("Root", "Root")
    _state.nodes = []
    _state.modified = False


def scriptSaveAs(filename: str | None = None, overwrite: int | bool = -1) -> None:  # noqa: N802
    """Save the script as ``filename``, which becomes the script's name.

    As in Nuke: with ``overwrite`` 0 an existing file is never replaced (in
    terminal mode ``-1`` does the same); 1 overwrites it. Raises
    ``RuntimeError`` when the file exists or cannot be written.
    """
    if filename is None:
        raise RuntimeError("the fake needs a file name (it has no save dialog)")
    path = Path(filename)
    if path.exists() and overwrite != 1 and overwrite is not True:
        raise RuntimeError(f"{filename} already exists")
    old_name = _state.root["name"]._value
    _state.root["name"]._value = str(path)
    blocks = [_state.root._block()] + [n._block() for n in _state.nodes]
    try:
        path.write_text(_nkfile.dump(blocks, "15.0 v1"), encoding="utf-8")
    except OSError as exc:
        _state.root["name"]._value = old_name
        raise RuntimeError(f"Can't write {filename}: {exc.strerror}") from exc
    _state.modified = False


def scriptReadFile(s: str) -> None:  # noqa: N802 - Nuke's name
    """Read the script file ``s`` into the current script (like File > Insert).

    Root knobs in the file are applied to the Root node, except ``name``: the
    script keeps its own name. Nodes whose names are taken get the next free one.
    """
    path = Path(s)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuntimeError(f"{s}: {exc.strerror}") from exc
    for cls, user_knobs, values in _nkfile.load(text):
        node = _state.root if cls == "Root" else Node(cls, "")
        for type_name, knob_name in user_knobs:
            if node.knob(knob_name) is None:
                node.addKnob(globals()[type_name](knob_name))
        for knob_name, knob_text in values:
            if cls == "Root" and knob_name == "name":
                continue
            node[knob_name]._from_text(knob_text)
        if cls != "Root":
            wanted = node.name()
            if not wanted or wanted in {n.name() for n in _state.nodes}:
                wanted = _free_name(cls)
            node["name"]._value = wanted
            _state.nodes.append(node)
    _state.modified = True


def execute(nameOrNode: Node | str, start: int, end: int, incr: int = 1) -> None:  # noqa: N803
    """Render the Write node ``nameOrNode`` for frames ``start``..``end``.

    The fake writes the bytes ``FAKE FRAME <n>`` to each frame's file (the
    ``file`` knob with ``#``, ``##``... or ``%0Nd`` padding); the folder must
    exist (as with Write's ``create_directories`` off).
    """
    node = toNode(nameOrNode) if isinstance(nameOrNode, str) else nameOrNode
    if node is None or node.Class() != "Write":
        raise ValueError(f"{nameOrNode!r} is not a Write node")
    if node["disable"].value():
        raise RuntimeError(f"{node.name()} is disabled")
    pattern = str(node["file"].value())
    if not pattern:
        raise RuntimeError(f"{node.name()}: no output file name")
    for frame in range(int(start), int(end) + 1, int(incr)):
        target = Path(frame_path(pattern, frame))
        if not target.parent.is_dir():
            raise RuntimeError(f"{node.name()}: Can't open output file: {target.parent}")
        target.write_bytes(f"FAKE FRAME {frame}\n".encode())
    _state.rendered.append((node.name(), int(start), int(end)))


def frame_path(pattern: str, frame: int) -> str:
    """Test helper (not Nuke API): ``pattern`` with its ``####``/``%04d`` padding filled."""
    printf = re.search(r"%(0?)(\d*)d", pattern)
    if printf:
        width = int(printf.group(2) or 1)
        return pattern[: printf.start()] + str(frame).zfill(width) + pattern[printf.end():]
    hashes = re.search(r"#+", pattern)
    if hashes:
        width = len(hashes.group(0))
        return pattern[: hashes.start()] + str(frame).zfill(width) + pattern[hashes.end():]
    return pattern


class MenuItem:
    """A command of a menu."""

    def __init__(self, name: str, command: Callable[[], Any] | str) -> None:
        self._name = name
        self._command = command
        self._enabled = True
        self._tooltip = ""
        self._separator = False

    def name(self) -> str:
        """The item's label."""
        return self._name

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 - Nuke's name
        """Enable or grey out the item."""
        self._enabled = bool(enabled)

    def _is_enabled(self) -> bool:
        """Test helper (not Nuke API): whether the item can be clicked."""
        return self._enabled

    def invoke(self) -> Any:
        """Run the command (as a click does)."""
        if not self._enabled:
            raise RuntimeError(f"menu item {self._name!r} is disabled")
        if callable(self._command):
            return self._command()
        raise NotImplementedError("the fake runs only callable commands")


class Menu(MenuItem):
    """A menu (or menu bar) holding commands and sub-menus."""

    def __init__(self, name: str) -> None:
        super().__init__(name, "")
        self._items: list[MenuItem] = []

    def addMenu(self, name: str) -> Menu:  # noqa: N802 - Nuke's name
        """The sub-menu ``name``, created when missing (``"A/B"``: B inside A)."""
        head, sep, rest = name.replace("\\", "/").partition("/")
        if sep:
            return self.addMenu(head).addMenu(rest)
        found = self.findItem(name)
        if isinstance(found, Menu):
            return found
        sub = Menu(name)
        self._items.append(sub)
        return sub

    def addCommand(  # noqa: N802 - Nuke's name
        self, name: str, command: Callable[[], Any] | str = "", *, tooltip: str = ""
    ) -> MenuItem:
        """Add (or replace) the command ``name``; ``"A/B"`` adds B to the sub-menu A (as Nuke)."""
        parent, sep, leaf = name.replace("\\", "/").rpartition("/")
        if sep:
            return self.addMenu(parent).addCommand(leaf, command, tooltip=tooltip)
        item = MenuItem(name, command)
        item._tooltip = tooltip
        self._items = [i for i in self._items if i.name() != name] + [item]
        return item

    def addSeparator(self) -> MenuItem:  # noqa: N802 - Nuke's name
        """Add a separator line."""
        item = MenuItem("", "")
        item._separator = True
        self._items.append(item)
        return item

    def findItem(self, name: str) -> MenuItem | None:  # noqa: N802 - Nuke's name
        """The item called ``name``, or ``None``."""
        return next((i for i in self._items if i.name() == name), None)

    def items(self) -> list[MenuItem]:
        """The items, in order."""
        return list(self._items)

    def clearMenu(self) -> None:  # noqa: N802 - Nuke's name
        """Remove every item."""
        self._items = []


def message(prompt: str) -> None:
    """Show ``prompt`` to the artist (the fake records it in :data:`messages`)."""
    messages.append(prompt)


#: messages given to :func:`message`, oldest first (test helper, not Nuke API)
messages: list[str] = []

#: seconds a thread waits in :func:`executeInMainThreadWithResult` (FAKE ONLY; Nuke: forever)
WAIT_LIMIT = 30.0
#: the calls waiting for the main thread (FAKE ONLY)
_main_thread_calls = MainThreadQueue("the FAKE Nuke")


def executeInMainThreadWithResult(  # noqa: N802 - Nuke's name
    call: Callable[..., Any], args: Any = (), kwargs: Any = None
) -> Any:
    """Run ``call(*args, **kwargs)`` on the main thread, wait, and return its result.

    See the module docstring: an exception of ``call`` gives ``None`` here, as
    in Nuke; on the main thread it raises instead of waiting for itself.
    """
    if on_main_thread():
        raise RuntimeError(
            "FAKE nuke: executeInMainThreadWithResult called on the main thread would wait "
            "for itself; call the function directly there"
        )
    if not isinstance(args, tuple):
        args = (args,)  # Nuke accepts a single argument
    kwargs = dict(kwargs or {})

    def swallow() -> Any:
        try:
            return call(*args, **kwargs)
        except Exception:  # noqa: BLE001 - Nuke's executeInMain.py returns None then
            return None

    return _main_thread_calls.call(swallow, timeout=WAIT_LIMIT)


def _process_events() -> int:
    """Test helper (not Nuke API): Nuke's event loop turns once: queued main-thread calls run."""
    return _main_thread_calls.pump()


#: the fake main window (test helper state)
_main_windows: list[Any] = []


def _open_main_window() -> Any:
    """Test helper (not Nuke API): the GUI's main window, a ``Foundry::UI::DockMainWindow``.

    Needs a running ``QApplication`` (pytest-qt's ``qapp``); made once per session.
    """
    from Qt import QtCompat, QtWidgets

    if not _main_windows or not QtCompat.isValid(_main_windows[0]):
        cls = type("Foundry::UI::DockMainWindow", (QtWidgets.QMainWindow,), {})
        window = cls()
        window.setWindowTitle("FAKE Nuke")
        _main_windows[:] = [window]
    return _main_windows[0]


def menu(name: str) -> Menu:
    """The menu bar ``name`` (``"Nuke"``, ``"Nodes"``...); raises when there is no GUI."""
    if not env["gui"]:
        raise RuntimeError("menus exist only in the GUI (this fake runs as nuke -t)")
    return _menus.setdefault(name, Menu(name))


def __getattr__(name: str) -> Any:
    raise AttributeError(
        f"the fake nuke module does not model nuke.{name}; "
        f"add it to tests/fakes/nuke if stalker_nuke starts calling it"
    )


"""FAKE Maya's Maya ASCII (``.ma``) writer and reader - the subset the fake models.

Only statements documented by Autodesk for Maya ASCII files are written, in
the order Maya writes them (header comments, ``file`` reference statements,
``requires``, ``currentUnit``, ``fileInfo``, ``createNode`` blocks with
indented ``addAttr``/``setAttr`` lines, the ``sceneConfigurationScriptNode``
script node whose ``.b`` string holds the ``playbackOptions`` command,
``connectAttr "node.iog" "set.dsm" -na`` for objectSet membership, and the
``// End of`` comment). Every value is a MEL string or number. The reader
accepts exactly that subset and raises ``RuntimeError`` on anything else, so a
file written by another program is not silently misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAYA_VERSION = "2025"


@dataclass
class Node:
    """A node of the fake scene: its type and its string attributes."""

    type: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Reference:
    """A file reference: its reference node, namespace and path."""

    node: str
    namespace: str
    path: str


@dataclass
class SceneData:
    """What a ``.ma`` file holds in the fake's subset."""

    file_info: dict[str, str] = field(default_factory=dict)
    time_unit: str = "film"
    playback: dict[str, float] = field(
        default_factory=lambda: {"min": 1.0, "max": 120.0, "ast": 1.0, "aet": 200.0}
    )
    nodes: dict[str, Node] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    #: objectSet -> member nodes (written as ``connectAttr "m.iog" "set.dsm" -na;``)
    members: dict[str, list[str]] = field(default_factory=dict)


def mel_quote(text: str) -> str:
    """Return ``text`` as a double-quoted MEL string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write(data: SceneData, name: str) -> str:
    """Return the Maya ASCII text of ``data`` for a file called ``name``."""
    lines = [
        f"//Maya ASCII {MAYA_VERSION} scene",
        f"//Name: {name}",
        "//Codeset: UTF-8",
    ]
    for ref in data.references:
        lines.append(
            f"file -rdi 1 -ns {mel_quote(ref.namespace)} -rfn {mel_quote(ref.node)} "
            f"{mel_quote(ref.path)};"
        )
    for ref in data.references:
        lines.append(
            f"file -r -ns {mel_quote(ref.namespace)} -dr 1 -rfn {mel_quote(ref.node)} "
            f"{mel_quote(ref.path)};"
        )
    lines.append(f'requires maya "{MAYA_VERSION}";')
    lines.append(f"currentUnit -l centimeter -a degree -t {data.time_unit};")
    for key, value in data.file_info.items():
        lines.append(f"fileInfo {mel_quote(key)} {mel_quote(value)};")
    for node_name, node in data.nodes.items():
        lines.append(f"createNode {node.type} -n {mel_quote(node_name)};")
        for attr, value in node.attrs.items():
            lines.append(
                f"\taddAttr -ci true -sn {mel_quote(attr)} -ln {mel_quote(attr)} -dt \"string\";"
            )
            lines.append(f"\tsetAttr {mel_quote('.' + attr)} -type \"string\" {mel_quote(value)};")
    p = data.playback
    script = (
        f"playbackOptions -min {_number(p['min'])} -max {_number(p['max'])} "
        f"-ast {_number(p['ast'])} -aet {_number(p['aet'])} "
    )
    lines.append('createNode script -n "sceneConfigurationScriptNode";')
    lines.append(f'\tsetAttr ".b" -type "string" {mel_quote(script)};')
    lines.append('\tsetAttr ".st" 6;')
    for set_name, members in data.members.items():
        for member in members:
            source, target = mel_quote(f"{member}.iog"), mel_quote(f"{set_name}.dsm")
            lines.append(f"connectAttr {source} {target} -na;")
    lines.append(f"// End of {name}")
    return "\n".join(lines) + "\n"


_FLAG = re.compile(r"-[A-Za-z]")
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def _unquote(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _tokens(statement: str) -> list[tuple[str, bool]]:
    """Split a MEL statement into ``(token, was_quoted)`` pairs."""
    return [
        (_unquote(m.group(1)), True) if m.group(1) is not None else (m.group(2), False)
        for m in _TOKEN.finditer(statement)
    ]


def _flag_values(tokens: list[tuple[str, bool]]) -> tuple[dict[str, str], list[str]]:
    """Split tokens after the command into ``-flag value`` pairs and positional args."""
    flags: dict[str, str] = {}
    args: list[str] = []
    i = 0
    while i < len(tokens):
        tok, quoted = tokens[i]
        if not quoted and _FLAG.match(tok):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or (not nxt[1] and _FLAG.match(nxt[0])):
                flags[tok[1:]] = ""
                i += 1
            else:
                flags[tok[1:]] = nxt[0]
                i += 2
        else:
            args.append(tok)
            i += 1
    return flags, args


def read(text: str) -> SceneData:
    """Parse the fake's subset of Maya ASCII; raise ``RuntimeError`` on anything else."""
    if not text.startswith("//Maya ASCII "):
        raise RuntimeError("not a Maya ASCII file: the '//Maya ASCII' header is missing")
    data = SceneData(nodes={}, references=[])
    current: Node | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("//"):
            continue
        if not raw.rstrip().endswith(";"):
            raise RuntimeError(f"fake .ma reader: unterminated statement {raw!r}")
        tokens = _tokens(raw.strip()[:-1])
        command = tokens[0][0]
        flags, args = _flag_values(tokens[1:])
        if command == "file":
            if "r" in flags:
                data.references.append(Reference(flags["rfn"], flags["ns"], args[-1]))
        elif command == "requires":
            pass
        elif command == "currentUnit":
            data.time_unit = flags["t"]
        elif command == "fileInfo":
            data.file_info[args[0]] = args[1]
        elif command == "createNode":
            current = Node(args[0])
            data.nodes[flags["n"]] = current
        elif command == "connectAttr" and args[0].endswith(".iog") and args[1].endswith(".dsm"):
            data.members.setdefault(args[1][:-4], []).append(args[0][:-4])
        elif command == "addAttr" and current is not None:
            pass
        elif command == "setAttr" and current is not None:
            _read_set_attr(data, current, flags, args)
        else:
            raise RuntimeError(f"fake .ma reader: statement not modelled: {raw.strip()!r}")
    data.nodes.pop("sceneConfigurationScriptNode", None)
    return data


def _read_set_attr(data: SceneData, node: Node, flags: dict[str, Any], args: list[str]) -> None:
    attr = args[0].lstrip(".")
    if node.type == "script":
        if attr == "b":
            script_flags, _ = _flag_values(_tokens(args[1]))
            for key in ("min", "max", "ast", "aet"):
                data.playback[key] = float(script_flags[key])
        return
    node.attrs[attr] = args[-1]

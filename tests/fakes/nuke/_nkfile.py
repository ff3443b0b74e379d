"""FAKE of Nuke's ``.nk`` script format, as far as the fake ``nuke`` module writes it.

This is a **test fake**, not Foundry code. It writes and reads the documented
subset of the ``.nk`` text format (Foundry, "Nuke Python Developer's Guide" and
the script files Nuke writes):

* a ``#!`` header line and a ``version`` line, which the reader skips;
* one block per node: the node class, ``{``, one knob per line
  (``name value``), and ``}`` alone on a line; the ``Root`` block comes first;
* user knobs declared before their value with ``addUserKnob {<type> <name>}``
  (type 1: String_Knob, 3: Int_Knob, 6: Boolean_Knob);
* values written bare when they hold only safe characters, else in double
  quotes with ``\\``, ``"``, ``[``, ``]``, ``$`` and newlines escaped (TCL style).

Not modelled (and never written): node connections (``inputs``, ``set``/
``push`` stack commands), groups, animation curves, expressions, clones.
"""

from __future__ import annotations

import re

_BARE = re.compile(r"^[A-Za-z0-9_./:+\-#%]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "[": "\\[", "]": "\\]", "$": "\\$", "\n": "\\n"}
_UNESCAPES = {"\\": "\\", '"': '"', "[": "[", "]": "]", "$": "$", "n": "\n"}

#: user-knob type ids of the .nk format
USER_KNOB_TYPES = {"String_Knob": 1, "Int_Knob": 3, "Boolean_Knob": 6}


def quote(value: str) -> str:
    """Write ``value`` as one .nk word (bare or double-quoted)."""
    if value and _BARE.match(value):
        return value
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def unquote(word: str) -> str:
    """Read one .nk word written by :func:`quote` (or a ``{...}`` braced word)."""
    word = word.strip()
    if word.startswith("{") and word.endswith("}"):
        return word[1:-1]
    if not (word.startswith('"') and word.endswith('"') and len(word) >= 2):
        return word
    out, chars, i = [], word[1:-1], 0
    while i < len(chars):
        ch = chars[i]
        if ch == "\\" and i + 1 < len(chars):
            nxt = chars[i + 1]
            out.append(_UNESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


Block = tuple[str, list[tuple[str, str]], list[tuple[str, str]]]
"""(node class, user knobs as (type name, knob name), knob values as (name, text))."""


def dump(blocks: list[Block], version: str) -> str:
    """Return the text of a script holding ``blocks`` (the Root block first)."""
    lines = ["#! nuke -nx", f"version {version}"]
    for cls, user_knobs, values in blocks:
        lines.append(f"{cls} {{")
        declared = {name for _, name in user_knobs}
        for name, text in values:
            if name in declared:
                continue
            lines.append(f" {name} {quote(text)}")
        for type_name, name in user_knobs:
            type_id = USER_KNOB_TYPES[type_name]
            lines.append(f" addUserKnob {{{type_id} {name}}}")
            for vname, text in values:
                if vname == name:
                    lines.append(f" {name} {quote(text)}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def load(text: str) -> list[Block]:
    """Parse script text written in the subset above; raise ``RuntimeError`` otherwise."""
    blocks: list[Block] = []
    by_id = {v: k for k, v in USER_KNOB_TYPES.items()}
    current: Block | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or (current is None and line.startswith("version ")):
            continue
        if current is None:
            match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*) \{", line)
            if match is None:
                raise RuntimeError(f"line {number}: expected 'Class {{', got {line!r}")
            current = (match.group(1), [], [])
            continue
        if line == "}":
            blocks.append(current)
            current = None
            continue
        user = re.fullmatch(r"addUserKnob \{(\d+) ([A-Za-z_][A-Za-z0-9_]*)\}", line)
        if user is not None:
            type_id = int(user.group(1))
            if type_id not in by_id:
                raise RuntimeError(f"line {number}: user knob type {type_id} is not modelled")
            current[1].append((by_id[type_id], user.group(2)))
            continue
        name, _, value = line.partition(" ")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise RuntimeError(f"line {number}: bad knob name {name!r}")
        current[2].append((name, unquote(value)))
    if current is not None:
        raise RuntimeError(f"unterminated {current[0]} block at the end of the script")
    return blocks

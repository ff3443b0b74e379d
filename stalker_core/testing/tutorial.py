"""Extract the runnable code blocks of the API tutorial (``tutorial.rst``).

The tutorial is written for Stalker; :func:`extract_blocks` returns its
literal blocks with ``stalker`` replaced by ``stalker_core`` and the
``DBsession`` typo fixed, skipping reST comments (``.. ::``), so a test or
a user can run it against this package.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """A literal code block: its source, the line it starts on, and the part it is in."""

    code: str
    line: int
    part: str


_PART_RE = re.compile(r"^Part ([IVX]+(?:/[AB])?)\b")


def extract_blocks(path: Path) -> list[Block]:
    """Return the literal blocks of ``path`` in order, ported to stalker_core."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    part = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _PART_RE.match(line)
        if m:
            part = m.group(1)
        if line.startswith(".. ") and line.rstrip().endswith("::") and line.strip() != "::":
            # a directive or a comment (".. ::"): skip its indented body
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                i += 1
            continue
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            base_indent = len(line) - len(line.lstrip())
            j = i + 1
            body: list[str] = []
            while j < len(lines):
                cur = lines[j]
                if cur.strip() and len(cur) - len(cur.lstrip()) <= base_indent:
                    break
                body.append(cur)
                j += 1
            code = textwrap.dedent("\n".join(body)).strip("\n")
            if code:
                blocks.append(Block(code=_port(code), line=i + 2, part=part))
            i = j
            continue
        i += 1
    return blocks


def _port(code: str) -> str:
    code = re.sub(r"\bfrom stalker\b", "from stalker_core", code)
    code = re.sub(r"\bimport stalker\b", "import stalker_core", code)
    return code.replace("DBsession", "DBSession")

"""The FAKE nuke module's signatures against the published ``types-nuke`` stubs.

The stubs are read as text (``ast``), never run. Every public function and
method of the fake must exist in the stubs, and its parameters must appear
there by name and in the same order (stubs written ``(*args, **kwargs)`` accept
any). Skipped, with the reason, when ``types-nuke`` is not installed (it is in
the ``dev`` extra). The adapter itself is type-checked against the same stubs
by ``mypy hosts`` in ``make lint``.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

from stub_signatures import accepts, definitions, stub_trees

#: names the fake defines for tests only (documented as "Test helper (not Nuke API)")
TEST_HELPERS = {"frame_path", "undo_log", "NODE_KNOBS", "NUKE_VERSION_STRING"}


def _stub_definitions() -> dict[str, list[ast.FunctionDef]]:
    defs: dict[str, list[ast.FunctionDef]] = {}
    for tree in stub_trees("types-nuke", "nuke-stubs").values():
        for name, found in definitions(tree).items():
            defs.setdefault(name, []).extend(found)
    return defs


def _fake_callables(nuke: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in vars(nuke).items():
        if name.startswith("_") or name in TEST_HELPERS or inspect.ismodule(value):
            continue
        if getattr(value, "__module__", None) != nuke.__name__:
            continue  # imported names (Path, Callable ...)
        if inspect.isfunction(value):
            found[name] = value
        elif inspect.isclass(value):
            for member, attr in vars(value).items():
                if not member.startswith("_") and callable(attr):
                    found[f"{name}.{member}"] = attr.__func__ if isinstance(
                        attr, classmethod
                    ) else attr
    return found


def test_fake_signatures_match_the_stubs(fake_nuke: Any) -> None:
    stubs = _stub_definitions()
    problems = []
    for name, func in sorted(_fake_callables(fake_nuke).items()):
        params = [
            p.name for p in inspect.signature(func).parameters.values()
            if p.name not in ("self", "cls")
        ]
        candidates = stubs.get(name, [])
        if not candidates:
            problems.append(f"{name}: not in the stubs")
        elif not any(accepts(stub, params) for stub in candidates):
            problems.append(f"{name}{tuple(params)}: parameters differ from the stubs")
    assert problems == []

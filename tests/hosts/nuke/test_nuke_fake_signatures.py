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
import importlib.metadata
import inspect
from pathlib import Path
from typing import Any

import pytest

#: names the fake defines for tests only (documented as "Test helper (not Nuke API)")
TEST_HELPERS = {"frame_path", "undo_log", "NODE_KNOBS", "NUKE_VERSION_STRING"}


def _stub_definitions() -> dict[str, list[ast.FunctionDef]]:
    try:
        dist = importlib.metadata.distribution("types-nuke")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("types-nuke is not installed (pip install types-nuke, in the dev extra)")
    defs: dict[str, list[ast.FunctionDef]] = {}
    for file in dist.files or []:
        if not str(file).endswith(".pyi") or not str(file).startswith("nuke-stubs/"):
            continue
        tree = ast.parse(Path(str(dist.locate_file(file))).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                defs.setdefault(node.name, []).append(node)
            elif isinstance(node, ast.ClassDef):
                for member in node.body:
                    if isinstance(member, ast.FunctionDef):
                        defs.setdefault(f"{node.name}.{member.name}", []).append(member)
    return defs


def _accepts(stub: ast.FunctionDef, fake_params: list[str]) -> bool:
    args = stub.args
    if args.vararg is not None or args.kwarg is not None:
        return True
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    names = [n for n in names if n not in ("self", "cls")]
    positions = [names.index(p) for p in fake_params if p in names]
    return len(positions) == len(fake_params) and positions == sorted(positions)


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
        elif not any(_accepts(stub, params) for stub in candidates):
            problems.append(f"{name}{tuple(params)}: parameters differ from the stubs")
    assert problems == []

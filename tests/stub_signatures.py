"""Reading published type stubs (``types-nuke``, ``types-maya``) to check the test fakes against.

The stubs are parsed as text with :mod:`ast`, never imported or run. Used by
``tests/hosts/nuke/test_nuke_fake_signatures.py`` and
``tests/hosts/maya/test_maya_fake_signatures.py``.
"""

from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

import pytest


def stub_trees(distribution: str, package: str) -> dict[str, ast.Module]:
    """The parsed ``.pyi`` files of ``distribution`` under ``package/``, by path inside it.

    Skips the calling test, saying why, when the distribution is not installed.
    """
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{distribution} is not installed (pip install {distribution}, in the dev "
                    "extra)")
    trees = {}
    for file in dist.files or []:
        name = str(file)
        if name.endswith(".pyi") and name.startswith(f"{package}/"):
            text = Path(str(dist.locate_file(file))).read_text(encoding="utf-8")
            trees[name.removeprefix(f"{package}/")] = ast.parse(text)
    return trees


def definitions(tree: ast.Module) -> dict[str, list[ast.FunctionDef]]:
    """The functions (``name``) and methods (``Class.name``) of ``tree``, overloads together."""
    defs: dict[str, list[ast.FunctionDef]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            defs.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    defs.setdefault(f"{node.name}.{member.name}", []).append(member)
    return defs


def top_level_names(tree: ast.Module) -> set[str]:
    """The names ``tree`` defines at module level (functions, classes, annotated names)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def parameter_names(stub: ast.FunctionDef) -> list[str]:
    """The names of the parameters of ``stub`` (``self`` and ``cls`` left out)."""
    args = stub.args
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    return [n for n in names if n not in ("self", "cls")]


def accepts(stub: ast.FunctionDef, fake_params: list[str]) -> bool:
    """Whether ``stub`` has the fake's parameters by name, in the same order.

    A stub written ``(*args, **kwargs)`` accepts any.
    """
    if stub.args.vararg is not None or stub.args.kwarg is not None:
        return True
    names = parameter_names(stub)
    positions = [names.index(p) for p in fake_params if p in names]
    return len(positions) == len(fake_params) and positions == sorted(positions)

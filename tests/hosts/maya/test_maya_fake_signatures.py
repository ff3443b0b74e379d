"""The FAKE ``maya`` package's signatures against the published ``types-maya`` stubs.

The stubs are read as text (``ast``), never run. For ``maya.cmds`` each
command the fake models must be a command of the stubs, and every flag it
accepts (long and short name, :data:`maya.cmds._FLAGS`) a keyword of one of
the command's overloads. Functions and methods of ``maya.utils``,
``maya.api.OpenMaya`` and ``maya.OpenMayaUI`` must exist in the stubs with
their parameters in the same order. Gaps of the stubs are listed in
:data:`STUB_GAPS`, each with the reason, and checked to still be gaps. The
adapter itself is type-checked against the same stubs by ``mypy hosts``.
Skipped, with the reason, when ``types-maya`` is not installed (it is in the
``dev`` extra).
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

from stub_signatures import accepts, definitions, stub_trees, top_level_names

#: what the fake models but the stubs of types-maya 0.6.1 lack: name -> why
STUB_GAPS = {
    "cmds.AbcExport": "a plug-in command (AbcExport.so); the stubs list Maya's own commands",
    "OpenMayaUI.MQtUtil": "types-maya ships an empty OpenMayaUI.pyi (Maya Python API 1.0)",
}


def _keywords(overloads: list[ast.FunctionDef]) -> set[str]:
    return {a.arg for stub in overloads for a in stub.args.args + stub.args.kwonlyargs}


def test_cmds_flags_are_in_the_stubs(fake_maya: Any) -> None:
    commands = definitions(stub_trees("types-maya", "maya-stubs")["cmds.pyi"])
    problems = []
    for command, flags in sorted(fake_maya.cmds._FLAGS.items()):
        if f"cmds.{command}" in STUB_GAPS:
            assert command not in commands, f"{command} is in the stubs now: drop the gap"
            continue
        if command not in commands:
            problems.append(f"{command}: not a command of the stubs")
            continue
        missing = sorted({*flags, *flags.values()} - _keywords(commands[command]))
        if missing:
            problems.append(f"{command}: flags not in the stubs: {missing}")
    assert problems == []


def test_every_public_command_of_the_fake_is_modelled(fake_maya: Any) -> None:
    cmds = fake_maya.cmds
    public = {
        name for name, value in vars(cmds).items()
        if inspect.isfunction(value) and not name.startswith("_")
        and value.__module__ in ("maya.cmds", "maya._ui")
    }
    assert public == set(cmds._FLAGS) - {"AbcExport"}  # AbcExport exists once loaded


def _members(module: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            found[name] = value
        elif inspect.isclass(value):
            found[name] = value
            for member, attr in vars(value).items():
                if not member.startswith("_") and isinstance(attr, (staticmethod, classmethod)):
                    found[f"{name}.{member}"] = attr.__func__
    return found


def test_utils_and_api_are_in_the_stubs(fake_maya: Any) -> None:
    import maya.api.OpenMaya
    import maya.OpenMayaUI
    import maya.utils

    trees = stub_trees("types-maya", "maya-stubs")
    problems = []
    for module, stub in [
        (maya.utils, "utils.pyi"),
        (maya.api.OpenMaya, "api/OpenMaya.pyi"),
        (maya.OpenMayaUI, "OpenMayaUI.pyi"),
    ]:
        tree = trees[stub]
        defs, names = definitions(tree), top_level_names(tree)
        short = module.__name__.removeprefix("maya.").removeprefix("api.")
        for name, value in sorted(_members(module).items()):
            if f"{short}.{name.partition('.')[0]}" in STUB_GAPS:
                assert name.partition(".")[0] not in names, f"{name} is in the stubs now"
                continue
            if inspect.isclass(value):
                if name not in names:
                    problems.append(f"{module.__name__}.{name}: not in the stubs")
                continue
            if name.partition(".")[0] not in names and name not in defs:
                problems.append(f"{module.__name__}.{name}: not in the stubs")
                continue
            if name not in defs:
                continue  # a class the stubs leave untyped (``MSceneMessage: Incomplete``)
            params = [p for p in inspect.signature(value).parameters if p not in ("self", "cls")]
            if not any(accepts(stub, params) for stub in defs[name]):
                problems.append(f"{module.__name__}.{name}{tuple(params)}: differs from the stubs")
    assert problems == []

"""stalker_core.plugins.api: the one module plugin authors import from."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stalker_core.plugins import api, hookspecs

#: names in hookspec signatures that are not ours (builtins, typing, stdlib, pluggy)
FOREIGN = {"None", "Any", "list", "dict", "str", "Path", "pluggy.PluginManager"}


def _signature_names() -> set[str]:
    names: set[str] = set()
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if name.startswith("stalker_"):
            for annotation in fn.__annotations__.values():
                names.update(re.findall(r"[A-Za-z_][\w.]*", str(annotation)))
    return names


def test_all_is_sorted_unique_and_resolves() -> None:
    assert api.__all__ == sorted(set(api.__all__))
    for name in api.__all__:
        assert getattr(api, name) is not None, name


def test_every_export_is_documented() -> None:
    doc = api.__doc__ or ""
    for name in api.__all__:
        assert re.search(rf"\b{re.escape(name)}\b", doc), f"the api docstring should list {name}"
        value = getattr(api, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_covers_every_type_named_in_hookspec_signatures() -> None:
    ours = _signature_names() - FOREIGN
    # the signatures do name our types (the test is not vacuous)
    assert {"Context", "Host", "PublishItem", "PublishTransaction", "Version"} <= ours
    missing = sorted(ours - set(api.__all__))
    assert missing == [], f"export these hookspec types from stalker_core.plugins.api: {missing}"


def test_hookspecs_take_project_types_from_the_api_only() -> None:
    tree = ast.parse(Path(hookspecs.__file__).read_text())
    sources = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stalker_core")
    }
    assert sources == {"stalker_core.plugins.api"}


def test_the_types_have_one_home() -> None:
    import importlib

    import stalker_core.workflows as workflows
    from stalker_core.workflows import results

    # the module, not the function ``workflows.publish`` that shadows it
    publish = importlib.import_module("stalker_core.workflows.publish")

    for name in ("PublishItem", "PublishReport", "Representation", "ValidationResult"):
        assert getattr(workflows, name) is getattr(api, name)
        assert getattr(publish, name) is getattr(api, name)
        assert getattr(api, name).__module__ == "stalker_core.plugins.types"
    assert workflows.SceneCheck is results.SceneCheck is api.SceneCheck


def test_hookimpl_and_check_are_the_plugin_layer_ones() -> None:
    import stalker_core
    import stalker_core.plugins as plugins

    assert plugins.hookimpl is api.hookimpl is stalker_core.hookimpl
    assert api.hookimpl.project_name == api.PROJECT_NAME == "stalker_core"
    assert plugins.check is api.check and plugins.check_of is api.check_of


def test_context_and_version_load_lazily() -> None:
    """Importing the api in a DCC stays cheap; Context and Version load on first access."""
    code = (
        "import sys\n"
        "from stalker_core.plugins.api import PublishItem, hookimpl, Host\n"
        "assert 'sqlalchemy' not in sys.modules, 'api imported SQLAlchemy'\n"
        "from stalker_core.plugins import api\n"
        "from stalker_core.models.version import Version\n"
        "from stalker_core.context import Context\n"
        "assert api.Version is Version and api.Context is Context\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        api.Nope  # noqa: B018


def test_the_file_transaction_is_a_publish_transaction(tmp_path: Path) -> None:
    from stalker_core.workflows.transaction import FileTransaction

    tx: api.PublishTransaction = FileTransaction()
    assert isinstance(tx, api.PublishTransaction)
    tx.add(tmp_path / "a", tmp_path / "out" / "a")
    assert tx.destinations == [tmp_path / "out" / "a"]
    assert not isinstance(object(), api.PublishTransaction)


def test_hook_failure_names_plugin_hook_and_error() -> None:
    failure = api.HookFailure("chat", "stalker_publish_after", ConnectionError("down"))
    assert str(failure) == "plugin 'chat' raised in stalker_publish_after: ConnectionError: down"
    assert str(api.HookFailure("x", "h", KeyError())) == "plugin 'x' raised in h: KeyError"


def test_severity_is_checked() -> None:
    with pytest.raises(ValueError, match="severity should be one of info, warning, error"):
        api.ValidationResult("t", "m", severity="fatal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not 'bad'"):
        api.SceneCheck("t", "m", severity="bad")  # type: ignore[arg-type]

"""The exception tree: one root, validation errors are also TypeError/ValueError."""

from __future__ import annotations

import inspect

import pytest

from stalker_core import exceptions as exc


def test_every_error_derives_from_stalker_error() -> None:
    classes = [
        c for _, c in inspect.getmembers(exc, inspect.isclass)
        if issubclass(c, BaseException) and c.__module__ == exc.__name__
    ]
    assert len(classes) > 10
    for cls in classes:
        assert issubclass(cls, exc.StalkerError) or issubclass(cls, Warning), cls


def test_validation_errors_are_builtin_errors_too() -> None:
    assert issubclass(exc.ValidationError, ValueError)
    assert issubclass(exc.StalkerTypeError, TypeError)
    assert issubclass(exc.StalkerTypeError, ValueError)
    assert issubclass(exc.NaiveDatetimeError, exc.ValidationError)
    assert issubclass(exc.PasswordError, exc.ValidationError)


def test_type_error_message_names_class_attribute_expected_and_given() -> None:
    err = exc.type_error("Task", "schedule_unit", "a str", 5)
    assert isinstance(err, TypeError)
    assert str(err) == "Task.schedule_unit should be a str, not int: 5"


def test_value_error_message() -> None:
    err = exc.value_error("User", "email", "an e-mail address", "x")
    assert isinstance(err, ValueError) and not isinstance(err, TypeError)
    assert str(err) == "User.email should be an e-mail address, not 'x'"


def test_config_error_names_file_and_key() -> None:
    err = exc.ConfigError("bad value", path="/etc/stalker.toml", key="database.url")
    assert "'/etc/stalker.toml'" in str(err) and "'database.url'" in str(err)
    assert err.path == "/etc/stalker.toml" and err.key == "database.url"


def test_model_errors_are_catchable_as_builtins() -> None:
    from stalker_core.models import ImageFormat

    with pytest.raises(TypeError, match="ImageFormat.width"):
        ImageFormat(name="x", width="wide", height=10)
    with pytest.raises(ValueError, match="ImageFormat.height"):
        ImageFormat(name="x", width=10, height=-1)

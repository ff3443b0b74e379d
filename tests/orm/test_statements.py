"""Statements built once per process, kept by name."""

from __future__ import annotations

from sqlalchemy import literal, select

from stalker_core.orm.statements import statement


def test_a_statement_is_built_on_first_use_only() -> None:
    built: list[int] = []

    def build() -> object:
        built.append(1)
        return select(literal(1))

    first = statement("test: built once", build)
    assert statement("test: built once", build) is first
    assert built == [1]


def test_a_statement_per_dialect_is_built_for_each_dialect() -> None:
    built: list[str] = []

    def build(dialect: str) -> object:
        built.append(dialect)
        return select(literal(dialect))

    lite = statement("test: per dialect", build, "sqlite")
    pg = statement("test: per dialect", build, "postgresql")
    assert statement("test: per dialect", build, "sqlite") is lite and pg is not lite
    assert built == ["sqlite", "postgresql"]

"""Schema declarations shared by the models: link tables and role memberships."""

from __future__ import annotations

import pathlib

import pytest
from sqlalchemy import Table

import stalker_core.models as models_pkg
from stalker_core.exceptions import StalkerTypeError
from stalker_core.models.base import Base, link_table

#: every many-to-many link table: name -> (column, referenced table) in column order
LINK_TABLES = {
    "daily_files": [("daily_id", "dailies"), ("file_id", "files")],
    "entity_group_entities": [
        ("entity_group_id", "entity_groups"), ("entity_id", "simple_entities")
    ],
    "entity_notes": [("entity_id", "simple_entities"), ("note_id", "notes")],
    "entity_tags": [("entity_id", "simple_entities"), ("tag_id", "tags")],
    "group_permissions": [("group_id", "groups"), ("permission_id", "permissions")],
    "group_users": [("group_id", "groups"), ("user_id", "users")],
    "price_list_goods": [("price_list_id", "price_lists"), ("good_id", "goods")],
    "project_clients": [("project_id", "projects"), ("client_id", "clients")],
    "shot_scenes": [("shot_id", "shots"), ("scene_id", "scenes")],
    "shot_sequences": [("shot_id", "shots"), ("sequence_id", "sequences")],
    "structure_templates": [
        ("structure_id", "structures"), ("filename_template_id", "filename_templates")
    ],
    "task_alternative_resources": [("task_id", "tasks"), ("user_id", "users")],
    "task_computed_resources": [("task_id", "tasks"), ("user_id", "users")],
    "task_resources": [("task_id", "tasks"), ("user_id", "users")],
    "task_responsible": [("task_id", "tasks"), ("user_id", "users")],
    "task_watchers": [("task_id", "tasks"), ("user_id", "users")],
    "ticket_links": [("ticket_id", "tickets"), ("entity_id", "simple_entities")],
    "ticket_related": [("ticket_id", "tickets"), ("related_id", "tickets")],
    "version_inputs": [("version_id", "versions"), ("file_id", "files")],
    "version_outputs": [("version_id", "versions"), ("file_id", "files")],
}


def _shape(table: Table) -> list[tuple[str, str, str | None, bool, bool]]:
    out = []
    for column in table.columns:
        (fk,) = column.foreign_keys
        out.append(
            (column.name, fk.target_fullname, fk.ondelete, column.primary_key, column.nullable)
        )
    return out


@pytest.mark.parametrize("name", sorted(LINK_TABLES))
def test_link_tables_have_one_shape(name: str) -> None:
    table = Base.metadata.tables[name]
    assert _shape(table) == [
        (column, f"{target}.id", "CASCADE", True, False) for column, target in LINK_TABLES[name]
    ]
    assert table.primary_key.name == f"pk_{name}"
    assert not table.indexes


def test_every_link_table_is_listed() -> None:
    """A table of two or more columns, all foreign primary keys, is a link table."""
    found = {
        t.name
        for t in Base.metadata.tables.values()
        if len(t.columns) > 1 and all(c.primary_key and c.foreign_keys for c in t.columns)
    }
    assert found == set(LINK_TABLES)


def test_link_tables_are_made_by_the_factory_only() -> None:
    """No model module spells a ``Table(...)`` by hand next to :func:`link_table`."""
    root = pathlib.Path(models_pkg.__file__).parent
    by_hand = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "base.py" and "Table(" in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []


def test_link_table_builds_cascading_primary_keys() -> None:
    table = link_table("probe_links", probe_id="probes", other_id="others")
    try:
        assert _shape(table) == [
            ("probe_id", "probes.id", "CASCADE", True, False),
            ("other_id", "others.id", "CASCADE", True, False),
        ]
    finally:
        Base.metadata.remove(table)
    assert "probe_links" not in Base.metadata.tables


def test_link_table_needs_two_columns() -> None:
    with pytest.raises(StalkerTypeError, match="'lonely' needs two or more columns"):
        link_table("lonely", only_id="onlies")
    assert "lonely" not in Base.metadata.tables

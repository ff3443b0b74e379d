"""Schema declarations shared by the models: link tables and role memberships."""

from __future__ import annotations

import pathlib
from typing import Any

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
    "simple_entity_generic_data": [
        ("entity_id", "simple_entities"), ("data_id", "simple_entities")
    ],
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
    "files_references": [("entity_id", "files"), ("reference_id", "files")],
    "projects_references": [("entity_id", "projects"), ("reference_id", "files")],
    "tasks_references": [("entity_id", "tasks"), ("reference_id", "files")],
    "users_permissions": [("entity_id", "users"), ("permission_id", "permissions")],
    "version_inputs": [("version_id", "versions"), ("file_id", "files")],
    "version_outputs": [("version_id", "versions"), ("file_id", "files")],
}


#: link tables that carry one more column, of Stalker's association classes
#: (``DailyFile.rank``, ``ProjectClient.role``): name -> the extra columns
EXTRA_COLUMNS = {"daily_files": {"rank"}, "project_clients": {"role_id"}}


def _link_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if c.name not in EXTRA_COLUMNS.get(table.name, ())]


def _shape(table: Table) -> list[tuple[str, str, str | None, bool, bool]]:
    out = []
    for column in _link_columns(table):
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
        if len(t.columns) > 1
        and all(c.primary_key and c.foreign_keys for c in _link_columns(t))
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


MEMBERSHIPS = [
    ("DepartmentUser", "Department", "department_users", []),
    ("ProjectUser", "Project", "project_users", ["rate"]),
    ("ClientUser", "Client", "client_users", []),
]


@pytest.mark.parametrize(("name", "owner", "table", "extra"), MEMBERSHIPS)
def test_role_memberships_have_one_shape(
    name: str, owner: str, table: str, extra: list[str]
) -> None:
    from sqlalchemy import inspect as sa_inspect

    cls = getattr(models_pkg, name)
    key = owner.lower()
    t = cls.__table__
    assert t.name == table
    assert [c.name for c in t.columns] == [f"{key}_id", "user_id", "role_id", *extra]
    assert [c.name for c in t.primary_key.columns] == [f"{key}_id", "user_id"]
    fks = {
        c.name: (fk.target_fullname, fk.ondelete) for c in t.columns for fk in c.foreign_keys
    }
    assert fks == {
        f"{key}_id": (f"{key}s.id", "CASCADE"),
        "user_id": ("users.id", "CASCADE"),
        "role_id": ("roles.id", "SET NULL"),
    }
    assert t.c.role_id.nullable and not t.c.user_id.nullable
    rels = sa_inspect(cls).relationships
    assert rels[key].mapper.class_ is getattr(models_pkg, owner)
    assert rels[key].back_populates == "user_roles"
    assert rels["user"].back_populates == f"{key}_roles" and rels["user"].lazy == "joined"
    assert rels["role"].mapper.class_ is models_pkg.Role
    assert getattr(models_pkg, owner)._membership_class is cls


@pytest.mark.parametrize(("name", "owner", "table", "extra"), MEMBERSHIPS)
def test_role_membership_links_are_checked(
    name: str, owner: str, table: str, extra: list[str]
) -> None:
    cls = getattr(models_pkg, name)
    key = owner.lower()
    for attr, expected in ((key, owner), ("user", "User"), ("role", "Role")):
        with pytest.raises(StalkerTypeError, match=rf"{owner}\.{attr} should be a {expected}"):
            cls(**{attr: "not an object"})


@pytest.mark.parametrize(("name", "owner", "table", "extra"), MEMBERSHIPS)
def test_role_membership_removed_on_one_side_leaves_the_other(
    name: str, owner: str, table: str, extra: list[str]
) -> None:
    from test_prod_support import make_user

    key = owner.lower()
    kwargs = {"name": "O", "code": "O"} if owner == "Project" else {"name": "O"}
    group = getattr(models_pkg, owner)(**kwargs)
    user = make_user(1)
    role = models_pkg.Role(name="Lead")
    group.set_role(user, role)
    (link,) = group.user_roles
    assert isinstance(link, getattr(models_pkg, name))
    assert getattr(link, key) is group and link.role is role
    assert list(getattr(user, f"{key}_roles")) == [link]
    assert group.role_of(user) is role
    setattr(link, key, None)
    assert getattr(user, f"{key}_roles") == []

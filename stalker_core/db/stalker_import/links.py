"""Per link table: which table of ours a Stalker association table becomes.

A :class:`Link` maps a Stalker table's columns to ours; every id column is
translated through the id map (``permission_id`` through the permissions').
A row whose ends were not imported is skipped and reported; a row that is
already there is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from stalker_core.db.stalker_import.detect import SourceSchema


@dataclass(frozen=True)
class Link:
    """One Stalker link table -> one of ours.

    :ivar columns: Stalker column -> our column.
    :ivar ids: our columns holding ids (the rest are plain values).
    :ivar label: the kind shown in the report.
    """

    source: str
    target: str
    columns: tuple[tuple[str, str], ...]
    ids: tuple[str, ...]
    label: str

    def __repr__(self) -> str:
        return f"<Link {self.source} -> {self.target}>"


def _link(source: str, target: str, label: str, *pairs: str, values: tuple[str, ...] = ()) -> Link:
    """``pairs``: "stalker:ours" (or one name when both are the same) for id columns."""
    cols = [tuple(p.split(":")) if ":" in p else (p, p) for p in pairs]
    ids = tuple(t for _, t in cols)
    cols += [(v, v) for v in values]
    return Link(source, target, tuple((s, t) for s, t in cols), ids, label)


#: Stalker's Task_<name> tables of users and their user column
TASK_USERS = (("Resources", "resource_id"), ("Alternative_Resources", "resource_id"),
              ("Computed_Resources", "resource_id"), ("Responsible", "responsible_id"),
              ("Watchers", "watcher_id"))


def links(schema: SourceSchema) -> tuple[Link, ...]:
    """The link tables of a source with the shape ``schema``, in creation order."""
    old = schema.version_is_file
    out = [
        _link("Department_Users", "department_users", "department members",
              "uid:user_id", "did:department_id", "rid:role_id"),
        _link("Group_Users", "group_users", "group members", "uid:user_id", "gid:group_id"),
        _link("Group_Permissions", "group_permissions", "group permissions",
              "group_id", "permission_id"),
        _link("User_Permissions", "users_permissions", "user permissions",
              "user_id:entity_id", "permission_id"),
        _link("SimpleEntity_GenericData", "simple_entity_generic_data", "generic data",
              "simple_entity_id:entity_id", "other_simple_entity_id:data_id"),
        _link("Client_Users", "client_users", "client members",
              "uid:user_id", "cid:client_id", "rid:role_id"),
        _link("Project_Users", "project_users", "project members",
              "user_id", "project_id", "rid:role_id", values=("rate",)),
        _link("Project_Clients", "project_clients", "project clients", "project_id", "client_id"),
        _link("Project_Repositories", "project_repositories", "project repositories",
              "project_id", "repository_id", values=("position",)),
        _link("StatusList_Statuses", "status_list_statuses", "status list statuses",
              "status_list_id", "status_id"),
        _link("Structure_FilenameTemplates", "structure_templates", "structure templates",
              "structure_id", "filenametemplate_id:filename_template_id"),
        *(_link(f"Task_{name}", f"task_{name.lower()}", f"task {name.lower().replace('_', ' ')}",
                "task_id", f"{column}:user_id") for name, column in TASK_USERS),
        _link("Task_Dependencies", "task_dependencies", "task dependencies",
              "task_id", f"{schema.depends_column}:depends_on_id",
              values=("dependency_target", "gap_timing", "gap_unit", "gap_model")),
        _link("Entity_Notes", "entity_notes", "notes of entities", "entity_id", "note_id"),
        _link("Entity_Tags", "entity_tags", "tags of entities", "entity_id", "tag_id"),
        _link("EntityGroup_Entities", "entity_group_entities", "entity group members",
              "entity_group_id", "other_entity_id:entity_id"),
        _link("Ticket_SimpleEntities", "ticket_links", "ticket links",
              "ticket_id", "simple_entity_id:entity_id"),
        _link("Ticket_Related_Tickets", "ticket_related", "related tickets",
              "ticket_id", "related_ticket_id:related_id"),
        _link("PriceList_Goods", "price_list_goods", "price list goods",
              "price_list_id", "good_id"),
    ]
    out += _reference_links(schema)
    if old:
        out += [
            _link("Daily_Links", "daily_files", "daily files", "daily_id", "link_id:file_id"),
            _link("Version_Outputs", "version_outputs", "version outputs",
                  "version_id", "link_id:file_id"),
            _link("Version_Inputs", "version_inputs", "version inputs",
                  "version_id", "link_id:file_id"),
        ]
    else:
        out += [
            _link("Daily_Files", "daily_files", "daily files", "daily_id", "file_id"),
            _link("Version_Files", "version_outputs", "version files", "version_id", "file_id"),
        ]
    if not schema.shot_sequence_column:
        out.append(_link("Shot_Sequences", "shot_sequences", "shot sequences",
                         "shot_id", "sequence_id"))
    if not schema.shot_scene_column:
        out.append(_link("Shot_Scenes", "shot_scenes", "shot scenes", "shot_id", "scene_id"))
    return tuple(out)


def _reference_links(schema: SourceSchema) -> list[Link]:
    """Stalker's ``<Class>_References`` tables -> our ``<table>_references``.

    Stalker names the owner column after the class (``project_id``, ``task_id``,
    ``file_id``: an Asset's or a Shot's references are in ``Task_References``)
    and the file column ``reference_id``; before 1.1 (a reference was a Link)
    it was ``link_id``, and only projects and tasks had references (a
    Version's inputs were ``Version_Inputs``).
    """
    file_column = "link_id" if schema.version_is_file else "reference_id"
    owners = [("Project", "projects"), ("Task", "tasks")]
    if not schema.version_is_file:
        owners.append(("File", "files"))
    return [_link(f"{name}_References", f"{table}_references", f"{name.lower()} references",
                  f"{name.lower()}_id:entity_id", f"{file_column}:reference_id")
            for name, table in owners]

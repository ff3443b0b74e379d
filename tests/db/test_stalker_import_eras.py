"""The Stalker import on older schemas (the seed's 1.0.0.dev1 era, 0.2.x) and refusals.

Stalker 1.0.0.dev1 cannot be installed next to 1.1, so its schema is made from
a real Stalker 1.1 studio on SQLite by undoing, in SQL, what Stalker's own
Alembic migrations since then changed (each step names its revision): a
Version is a Link again (``Links`` holds its path, ``Version_Outputs`` its
files), a shot lists its sequences in ``Shot_Sequences``, a scene is no task,
and, for 0.2.x, ``depends_to_id`` and ``osx_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from stalker_source import Source, build_stalker_studio

from stalker_core.db.stalker_import import KNOWN_REVISIONS, import_stalker
from stalker_core.exceptions import DatabaseError

#: rebuild the 1.1 tables into the shape before "Link renamed to File" (9f9b88fef376: a
#: file's references were a version's inputs, a reference column was ``link_id``, and a
#: reference could be a Version, as the task reference added last here),
#: "Shot has one Scene/Sequence" (5078390e5527, e25ec9930632), "Scene derives from Task"
#: (4400871fa852) and "take_name renamed variant_name" (ec1eb2151bb9); Variants removed
#: (91ed52b72b82): a variant's versions go to its parent task under its name
TO_1_0 = """
UPDATE "Versions" SET task_id = (SELECT parent_id FROM "Tasks" WHERE id = "Versions".task_id)
    WHERE task_id IN (SELECT id FROM "Variants");
CREATE TABLE variant_takes AS SELECT v.id AS version_id, se.name AS take
    FROM "Versions" v JOIN "Version_Files" vf ON vf.version_id = v.id
    JOIN "Files" f ON f.id = vf.file_id JOIN "SimpleEntities" se ON se.entity_type = 'Variant'
    WHERE f.full_path LIKE '%/' || se.name || '/%';
DELETE FROM "Tasks" WHERE id IN (SELECT id FROM "Variants");
DELETE FROM "Entities" WHERE id IN (SELECT id FROM "Variants");
DELETE FROM "SimpleEntities" WHERE entity_type = 'Variant';
DROP TABLE "Variants";
ALTER TABLE "Files" RENAME TO "Links";
UPDATE "SimpleEntities" SET entity_type = 'Link' WHERE entity_type = 'File';
INSERT INTO "Links" (id, original_filename, full_path) SELECT v.id, '',
    (SELECT l.full_path FROM "Version_Files" vf JOIN "Links" l ON l.id = vf.file_id
     WHERE vf.version_id = v.id ORDER BY l.id LIMIT 1) FROM "Versions" v;
CREATE TABLE "Versions_old" (
    id INTEGER NOT NULL PRIMARY KEY REFERENCES "Links" (id),
    task_id INTEGER NOT NULL REFERENCES "Tasks" (id),
    take_name VARCHAR(256), version_number INTEGER NOT NULL, is_published BOOLEAN,
    parent_id INTEGER REFERENCES "Versions" (id));
INSERT INTO "Versions_old" SELECT id, task_id,
    COALESCE((SELECT take FROM variant_takes WHERE version_id = "Versions".id), 'Main'),
    version_number, is_published, parent_id FROM "Versions";
DROP TABLE variant_takes;
DROP TABLE "Versions";
ALTER TABLE "Versions_old" RENAME TO "Versions";
CREATE TABLE "Version_Inputs" (version_id INTEGER NOT NULL REFERENCES "Versions" (id),
    link_id INTEGER NOT NULL REFERENCES "Links" (id), PRIMARY KEY (version_id, link_id));
INSERT INTO "Version_Inputs" SELECT DISTINCT vf.version_id, fr.reference_id
    FROM "File_References" fr JOIN "Version_Files" vf ON vf.file_id = fr.file_id;
DROP TABLE "File_References";
ALTER TABLE "Version_Files" RENAME TO "Version_Outputs";
ALTER TABLE "Version_Outputs" RENAME COLUMN file_id TO link_id;
ALTER TABLE "Project_References" RENAME COLUMN reference_id TO link_id;
ALTER TABLE "Task_References" RENAME COLUMN reference_id TO link_id;
INSERT INTO "Task_References" SELECT task_id, id FROM "Versions" WHERE parent_id IS NOT NULL;
ALTER TABLE "Daily_Files" RENAME TO "Daily_Links";
ALTER TABLE "Daily_Links" RENAME COLUMN file_id TO link_id;
CREATE TABLE "Shot_Sequences" (shot_id INTEGER NOT NULL REFERENCES "Shots" (id),
    sequence_id INTEGER NOT NULL REFERENCES "Sequences" (id), PRIMARY KEY (shot_id, sequence_id));
INSERT INTO "Shot_Sequences" SELECT id, sequence_id FROM "Shots" WHERE sequence_id IS NOT NULL;
CREATE TABLE "Shot_Scenes" (shot_id INTEGER NOT NULL REFERENCES "Shots" (id),
    scene_id INTEGER NOT NULL REFERENCES "Scenes" (id), PRIMARY KEY (shot_id, scene_id));
INSERT INTO "Shot_Scenes" SELECT id, scene_id FROM "Shots" WHERE scene_id IS NOT NULL;
CREATE TABLE "Shots_old" (id INTEGER NOT NULL PRIMARY KEY REFERENCES "Tasks" (id),
    image_format_id INTEGER REFERENCES "ImageFormats" (id), cut_in INTEGER, cut_out INTEGER,
    fps FLOAT, code VARCHAR(256) NOT NULL);
INSERT INTO "Shots_old" SELECT id, image_format_id, cut_in, cut_out, fps, code FROM "Shots";
DROP TABLE "Shots";
ALTER TABLE "Shots_old" RENAME TO "Shots";
CREATE TABLE "Scenes_old" (id INTEGER NOT NULL PRIMARY KEY REFERENCES "Entities" (id),
    code VARCHAR(256) NOT NULL, project_id INTEGER NOT NULL REFERENCES "Projects" (id));
INSERT INTO "Scenes_old" SELECT s.id, s.code, t.project_id FROM "Scenes" s
    JOIN "Tasks" t ON t.id = s.id;
DELETE FROM "Tasks" WHERE id IN (SELECT id FROM "Scenes");
DROP TABLE "Scenes";
ALTER TABLE "Scenes_old" RENAME TO "Scenes";
"""

#: and before "depends_to renamed depends_on" (019378697b5b) and "osx renamed macos"
#: (feca9bac7d5a): Stalker 0.2.x's last revision
TO_0_2 = """
ALTER TABLE "Task_Dependencies" RENAME COLUMN depends_on_id TO depends_to_id;
ALTER TABLE "Repositories" RENAME COLUMN macos_path TO osx_path;
"""


@pytest.fixture(scope="module")
def stalker_1_1_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Stalker 1.1 studio on SQLite (built once per module)."""
    path = tmp_path_factory.mktemp("stalker11") / "stalker.db"
    build_stalker_studio(f"sqlite:///{path}")
    return path


def older_copy(source: Path, folder: Path, revision: str) -> str:
    """A copy of ``source`` reshaped to Stalker's ``revision``; returns its URL."""
    path = folder / f"stalker-{revision}.db"
    shutil.copy(source, path)
    script = TO_1_0 + (TO_0_2 if revision == KNOWN_REVISIONS[0] else "")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        for statement in script.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.mark.slow
@pytest.mark.parametrize("revision", ["019378697b5b", KNOWN_REVISIONS[0]])
def test_older_stalker_schemas_are_imported(session: Any, stalker_1_1_sqlite: Path,
                                            tmp_path: Path, revision: str) -> None:
    from stalker_core.models import Message, Project, Repository, Scene, Shot, Task, Version

    url = older_copy(stalker_1_1_sqlite, tmp_path, revision)
    session.commit()
    report = import_stalker(url, str(session.get_bind().url.render_as_string(
        hide_password=False)))
    session.expire_all()
    assert report.revision == revision
    assert report.era == ("Stalker 1.0" if revision == "019378697b5b" else "Stalker 0.2")
    # the one row refused: a task's reference to a Version (a Link then); ours holds files
    (v2,) = session.scalars(select(Version.id).where(Version.parent_id.is_not(None))).all()
    skipped = {k: c.skipped for k, c in report.counts.items() if c.skipped}
    assert skipped == {"task references": 1}, report.not_mapped
    assert any(line.startswith("task references: Task_References row")
               and line.endswith("refused: its reference_id (our id "
                                 f"{v2}) is a Version, not a row of files")
               for line in report.not_mapped), report.not_mapped
    src = Source(url)
    try:
        # versions: their own path (a Link's), their take, their outputs
        for row in src.entities("Version", "Links", "Versions"):
            version = session.scalars(select(Version).where(
                Version.version_number == row["version_number"],
                Version.take_name == row["take_name"])).one()
            assert f"{version.path}/{version.filename}" == row["full_path"]
            outputs = {r["full_path"] for r in src.sql(
                'SELECT l.full_path FROM "Version_Outputs" vo JOIN "Links" l '
                "ON l.id = vo.link_id WHERE vo.version_id = :v", v=row["id"])}
            assert {f.full_path for f in version.outputs} == outputs
            inputs = {r["full_path"] for r in src.sql(
                'SELECT l.full_path FROM "Version_Inputs" vi JOIN "Links" l '
                "ON l.id = vi.link_id WHERE vi.version_id = :v", v=row["id"])}
            assert {f.full_path for f in version.inputs} == inputs
        assert any(v.inputs for v in session.scalars(select(Version)))
        # references (files) of the project and of tasks, an Asset's among them; not the
        # reference to a Version (refused above)
        references = {(r["name"], r["full_path"]) for r in src.sql(
            'SELECT se.name, l.full_path FROM "Task_References" tr JOIN "Links" l '
            'ON l.id = tr.link_id JOIN "SimpleEntities" se ON se.id = tr.task_id '
            "JOIN \"SimpleEntities\" le ON le.id = l.id WHERE le.entity_type = 'Link'")}
        assert {(t.name, f.full_path) for t in session.scalars(select(Task))
                for f in t.references} == references
        assert {n for n, _ in references} == {"Previs", "Hero"}
        project = session.scalars(select(Project)).one()
        assert [f.full_path for f in project.references] == [r["full_path"] for r in src.sql(
            'SELECT l.full_path FROM "Project_References" pr JOIN "Links" l ON l.id = pr.link_id')]
        # messages with their status
        assert sorted((g.name, g.status.code) for g in session.scalars(select(Message))) == [
            ("Farm back", "CMPL"), ("Farm down", "WIP")]
        assert {v.take_name for v in session.scalars(select(Version))} == {"Main", "HiRes"}
        # shots in sequences through the link table; scenes that were no tasks
        for shot in session.scalars(select(Shot)):
            assert [s.code for s in shot.sequences] == ["SEQ1"]
        (scene,) = session.scalars(select(Scene)).all()
        assert (scene.code, scene.project.code) == ("opening", "FC")
        # dependencies whatever the column was called
        comp = session.scalars(select(Task).where(Task.name == "comp")).one()
        assert [d.name for d in comp.depends_on] == ["Lighting"]
        anim = session.scalars(select(Task).where(Task.name == "Animation")).one()
        assert sorted(d.name for d in anim.depends_on) == ["Matchmove", "Previs"]
        repo = session.scalars(select(Repository)).one()
        assert repo.macos_path.rstrip("/") == "/Volumes/M/commercials"
    finally:
        src.dispose()


def test_an_unknown_revision_is_refused_with_the_supported_ones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/stalker.db"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE "SimpleEntities" (id INTEGER PRIMARY KEY)')
        conn.exec_driver_sql('CREATE TABLE "Users" (id INTEGER PRIMARY KEY)')
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num TEXT)")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('0123456789ab')")
    engine.dispose()
    with pytest.raises(DatabaseError, match="'0123456789ab'.*does not support.*9f9b88fef376"):
        import_stalker(url, f"sqlite:///{tmp_path}/ours.db")


def test_a_database_that_is_not_stalker_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/other.db"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(DatabaseError, match="not a Stalker database"):
        import_stalker(url, f"sqlite:///{tmp_path}/ours.db")


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    with pytest.raises(DatabaseError, match="does not exist"):
        import_stalker(f"sqlite:///{missing}", f"sqlite:///{tmp_path}/ours.db")
    assert not missing.exists()

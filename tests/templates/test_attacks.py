"""A filename template can neither change the database nor read secrets (both DBs).

Each case saves a version through :func:`save_as_version` with a malicious
FilenameTemplate, then reloads everything from the database and checks that
nothing changed and nothing was saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import FILE_TEMPLATE, PATH_TEMPLATE, Demo, files_under

from stalker_core.exceptions import TemplateError, ValidationError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version


def count_versions(session: Any) -> int:
    from stalker_core.models import Version

    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(Version)))


def use_templates(session: Any, demo: Demo, *, path: str = PATH_TEMPLATE,
                  filename: str = FILE_TEMPLATE) -> None:
    for tpl in demo.project.structure.templates:
        tpl.path = path
        tpl.filename = filename
    session.commit()


def staff(session: Any, demo: Demo) -> None:
    """Give the comp task a resource, a responsible and a watcher (committed)."""
    demo.comp.resources = [demo.user]
    demo.comp.responsible = [demo.user]
    demo.comp.watchers = [demo.user]
    session.commit()


def saved_state(session: Any, demo: Demo) -> dict[str, Any]:
    """What the attacks below try to change, read back from the database."""
    session.expire_all()
    return {
        "resources": [u.login for u in demo.comp.resources],
        "responsible": [u.login for u in demo.comp.responsible],
        "watchers": [u.login for u in demo.comp.watchers],
        "repositories": [r.code for r in demo.project.repositories],
        "children": sorted(t.name for t in demo.shot.children),
        "tags": list(demo.comp.tags),
        "name": demo.comp.name,
    }


#: each through save_as_version on both databases; more shapes of attack are
#: rendered without a database in test_values.py
MUTATING_FILENAMES = [
    "{{ task.resources.clear() or '' }}{{ version.nice_name }}",
    "{{ task.parent.children.clear() }}{{ version.nice_name }}",
    "{{ project.repositories.clear() }}{{ version.nice_name }}",
    "{{ task|attr('resources')|attr('clear')() }}{{ version.nice_name }}",
    "{% set ns = namespace(t=task) %}{{ ns.t.watchers.pop() }}{{ version.nice_name }}",
]


@pytest.mark.parametrize("filename", MUTATING_FILENAMES)
def test_a_filename_template_cannot_change_the_database(
    session: Any, demo: Demo, host: FakeHost, pm: Any, filename: str
) -> None:
    staff(session, demo)
    before = saved_state(session, demo)
    use_templates(session, demo, filename=filename)
    with pytest.raises(TemplateError):
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert saved_state(session, demo) == before
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


def test_a_path_template_cannot_unlink_repositories(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    before = saved_state(session, demo)
    use_templates(session, demo, path="{{ project.repositories.clear() }}" + PATH_TEMPLATE)
    with pytest.raises(TemplateError):
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert saved_state(session, demo) == before
    assert count_versions(session) == 0


@pytest.mark.parametrize(
    ("filename", "secret"),
    [
        ("{{ version.created_by.password_hash }}", "password_hash"),
        ("{{ task.resources[0]|attr('email') }}", "email"),
    ],
)
def test_templates_cannot_read_secrets(
    session: Any, demo: Demo, host: FakeHost, pm: Any, filename: str, secret: str
) -> None:
    staff(session, demo)
    use_templates(session, demo, filename=filename + "{{ version.nice_name }}")
    with pytest.raises(TemplateError, match=repr(secret)) as info:
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert demo.user.password_hash not in str(info.value)
    assert count_versions(session) == 0


def test_version_update_paths_cannot_change_the_session(session: Any, demo: Demo) -> None:
    """Rendering outside save_as_version leaves the session as clean as it was."""
    from stalker_core.models import Version

    staff(session, demo)
    use_templates(session, demo,
                  filename="{{ task.resources.clear() or '' }}{{ version.nice_name }}")
    version = Version(task=demo.comp)
    session.add(version)
    session.flush()
    with pytest.raises(TemplateError):
        version.update_paths()
    assert [u.login for u in demo.comp.resources] == ["artist"]
    session.rollback()
    assert saved_state(session, demo)["resources"] == ["artist"]


def test_the_tutorial_templates_still_render(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    """The tutorial's and the default templates keep working on read-only values."""
    use_templates(
        session, demo,
        path=(
            "$REPO{{project.repository.id}}/{{project.code}}/"
            "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
            "{{ task.parent.name }}-{{ shot.code }}-{{ shot.cut_in }}-"
            "{{ asset is none }}-{{ type is none }}-{{ sequence is none }}"
        ),
        filename=(
            "{{version.nice_name}}_{{version.take_name}}"
            '_v{{"%03d"|format(version.version_number)}}'
        ),
    )
    v = save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    expected = "TP/SH001/comp/SH001-SH001-1001-True-True-True/SH001_comp_Main_Main_v001.fake"
    assert Path(v.absolute_full_path) == demo.root / expected


@pytest.mark.parametrize(
    ("path", "filename", "char"),
    [
        (PATH_TEMPLATE + "{{ '\\x00' }}/deeper", FILE_TEMPLATE, "\x00"),
        (PATH_TEMPLATE + "new/{{ 'a\\x00b' }}", FILE_TEMPLATE, "\x00"),
        (PATH_TEMPLATE + "new/a{{ '\\n' }}b", FILE_TEMPLATE, "\n"),
        (PATH_TEMPLATE, FILE_TEMPLATE + "{{ '\\n' }}x", "\n"),
        (PATH_TEMPLATE, "{{ '\\x00' }}" + FILE_TEMPLATE, "\x00"),
        (PATH_TEMPLATE, FILE_TEMPLATE + "\t.bak", "\t"),
    ],
)
def test_a_control_character_in_a_rendered_path_saves_nothing(
    session: Any, demo: Demo, host: FakeHost, pm: Any, path: str, filename: str, char: str
) -> None:
    use_templates(session, demo, path=path, filename=filename)
    with pytest.raises(TemplateError) as info:
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert repr(char) in str(info.value)
    assert "FilenameTemplate" in str(info.value)
    assert count_versions(session) == 0
    assert list(demo.root.rglob("*")) == []  # not even a folder


def test_a_control_character_in_a_structure_creates_no_folder(
    session: Any, demo: Demo
) -> None:
    # a NUL in the template text is refused on assignment (a NUL is never storable);
    # a rendered one is caught after rendering, before any folder is made
    with pytest.raises(ValidationError, match="without NUL"):
        demo.project.structure.custom_template = "{{ project.code }}/a\x00b\n"
    demo.project.structure.custom_template = (
        "{{ project.code }}/ok\n{{ project.code }}/a{{ '\\x00' }}b\n")
    with pytest.raises(TemplateError, match=r"'\\x00'"):
        demo.project.create_structure()
    assert list(demo.root.rglob("*")) == []


def test_a_hanging_template_stops_and_saves_nothing(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    from stalker_core.exceptions import TemplateLimitError

    use_templates(
        session, demo,
        filename="{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                 "{% endfor %}{{ version.nice_name }}",
    )
    with pytest.raises(TemplateLimitError, match="templates.max_steps") as info:
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert "FilenameTemplate 'Task TP'" in str(info.value)
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


def test_a_plugin_filter_gets_values_not_model_objects(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    """docs/hooks.md: a filter reads the values it is given; a model method is not there."""
    from stalker_core.templates import build_engine

    def shot_of(task: Any) -> str:
        return f"{task.parent.code}_{task.name}"

    def hierarchy(task: Any) -> str:
        return "_".join(t.name for t in task.walk_hierarchy())

    engine = build_engine(filters={"shot_of": shot_of, "hierarchy": hierarchy})
    numbered = "_v{{ '%03d'|format(version.version_number) }}"
    use_templates(session, demo, filename="{{ task|shot_of }}" + numbered)
    saved = save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm,
                            engine=engine)
    assert saved.filename.startswith(f"{demo.shot.code}_comp_v001")

    use_templates(session, demo, filename="{{ task|hierarchy }}{{ version.nice_name }}")
    with pytest.raises(TemplateError, match="walk_hierarchy"):
        save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm, engine=engine)
    assert count_versions(session) == 1

"""The pipeline through the real Krita: save, reopen, load, update, publish (run INSIDE Krita)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from stalker_core.controllers.registry import ui_actions
from stalker_core.hosts import VERSION_ID_KEY
from stalker_core.models import Task, Version
from stalker_core.workflows import (
    find_outdated,
    open_version,
    publish,
    repair,
    save_as_version,
    update_references,
    validate,
)


def _report(**data: Any) -> None:
    path = Path(os.environ["KRITA_TEST_FACTS"]).with_name("inside_results.json")
    stored = json.loads(path.read_text()) if path.is_file() else {}
    stored.update(data)
    path.write_text(json.dumps(stored))


def test_save_reopen_load_update_publish(krita_host: Any, session: Any, facts: dict) -> None:
    host = krita_host
    task = session.get(Task, facts["task_id"])
    first = save_as_version(host, task, "Main", "painted in Krita", session=session)
    assert Path(first.absolute_full_path).is_file() and first.created_with == "krita"
    assert host.get_scene_metadata()[VERSION_ID_KEY] == str(first.id)

    host.new_file()
    opened = open_version(host, first, session=session)
    assert host.current_file() == Path(first.absolute_full_path)
    assert host.get_scene_metadata()[VERSION_ID_KEY] == str(first.id), opened

    old = session.get(Version, facts["image_v1"])
    reference = next(a for a in ui_actions(host, "loader") if a.name == "core.reference")
    container = reference.run(host=host, version=old, path=Path(old.absolute_full_path))
    doc = host.document()
    doc.rootNode().addChildNode(doc.createNode("paint over", "paintlayer"), None)

    def stack() -> list[str]:
        return [str(n.name()) for n in doc.rootNode().childNodes()]

    before = stack()
    assert before.index(container.name) == len(before) - 2  # under the new paint layer
    assert container.version_id == old.id
    [outdated] = find_outdated(host, session=session)
    assert outdated.latest is not None and outdated.latest.id == facts["image_v2"]
    update_references(host, session=session)
    [updated] = host.list_references()
    assert stack() == before  # the same layer, in the same place in the stack
    assert updated.version_id == facts["image_v2"] and updated.name == container.name
    assert updated.path == Path(session.get(Version, facts["image_v2"]).absolute_full_path)

    second = save_as_version(host, task, "Main", "with the prop", session=session)
    # a new Krita document runs 0-100 at 24 fps: the checks fail, their repairs set the
    # shot's range and rate, and the repaired document is saved again, then published
    checked = validate(host, second, session=session)
    assert {r.title for r in checked.errors} == {"Frame range", "Frame rate"}
    repair(checked.results)
    assert host.get_frame_range() == (1001, 1050) and host.get_fps() == 25.0
    third = save_as_version(host, task, "Main", "shot timing", session=session)
    report = publish(host, third, session=session)
    assert report.published, [str(r) for r in report.results]
    pngs = [str(p) for p in report.published_paths if p.suffix == ".png"]
    assert pngs, report.published_paths
    _report(published_png=pngs[0], version=third.id,
            checks=[str(r) for r in report.results])

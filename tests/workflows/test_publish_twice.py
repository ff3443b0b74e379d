"""One version is published once, whatever another session believes (both DBs)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo, make_pm

from stalker_core.exceptions import IntegrationError, PublishError
from stalker_core.plugins.api import hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import publish, save_as_version


class UniqueNames:
    """An integrator giving every publish a file name of its own."""

    @hookimpl(specname="stalker_publish_integrate")
    def integrate(self, item: Any, representations: Any, transaction: Any) -> None:
        target = Path(item.version.absolute_path) / "publish"
        for rep in representations:
            transaction.add(rep.path, target / f"{uuid.uuid4().hex[:6]}_{Path(rep.path).name}")


class FixedName:
    """An integrator publishing every version of the task to the same file name."""

    @hookimpl(specname="stalker_publish_integrate")
    def integrate(self, item: Any, representations: Any, transaction: Any) -> None:
        transaction.add(representations[0].path,
                        Path(item.version.absolute_path) / "publish" / "comp_latest.fake")


def outputs(session: Any, vid: int) -> int:
    from stalker_core.models.version.model import version_outputs

    session.rollback()
    return int(session.scalar(
        select(func.count()).select_from(version_outputs)
        .where(version_outputs.c.version_id == vid)))


def test_stale_session_cannot_publish_a_published_version(
    session: Any, demo: Demo
) -> None:
    from stalker_core.models import Version
    from stalker_core.orm.session import StalkerSession

    pm = make_pm(UniqueNames())
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    other = StalkerSession(session.get_bind())
    try:
        stale = other.get(Version, v.id)
        assert stale is not None and stale.is_published is False  # read before the publish
        first = publish(host, v, session=session, pm=pm).published_paths
        assert stale.is_published is False  # this session has not seen it
        with pytest.raises(PublishError, match=rf"version {v.id} \(.*\) is already published"):
            publish(host, stale, session=other, pm=pm)
        assert stale.is_published is True  # rolled back, read again
    finally:
        other.close()
    assert outputs(session, v.id) == len(first) == 2  # the built-in integrator's and ours
    published = sorted((demo.root / "TP/SH001/comp/publish").iterdir())
    assert published == sorted(first)  # the refused publish placed nothing


def test_registered_file_is_not_to_be_moved_away(session: Any, demo: Demo) -> None:
    pm = make_pm(FixedName())
    host = FakeHost(frame_range=(1001, 1050))
    v1 = save_as_version(host, demo.comp, session=session, pm=pm)
    publish(host, v1, session=session, pm=pm)
    host.edit()
    v2 = save_as_version(host, demo.comp, session=session, pm=pm)
    with pytest.raises(IntegrationError) as err:
        publish(host, v2, session=session, pm=pm)
    message = str(err.value)
    assert "comp_latest.fake" in message
    assert f"published by version 1 of task 'comp', id {v1.id}" in message
    assert "move" not in message
    assert outputs(session, v2.id) == 0 and outputs(session, v1.id) == 2

"""Publish plugins returning wrong types, too long destinations: stalker_core errors (both DBs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo, files_under, make_pm

from stalker_core.exceptions import IntegrationError, PluginError
from stalker_core.plugins.api import Representation, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import publish, save_as_version


class CollectsText:
    @hookimpl
    def stalker_publish_collect(self, host: Any, context: Any, version: Any) -> Any:
        return "oops"


class ValidatesText:
    @hookimpl
    def stalker_publish_validate(self, host: Any, context: Any, item: Any) -> Any:
        return ["fine"]


class ExtractsPaths:
    @hookimpl
    def stalker_publish_extract(self, host: Any, context: Any, item: Any,
                                staging_dir: Path) -> Any:
        out = staging_dir / "x.txt"
        out.write_text("x")
        return [out]


@pytest.mark.parametrize("plugin, expected", [
    (CollectsText(), r"stalker_publish_collect must return a list of PublishItem \(or None\), "
                     r"not str: 'oops'"),
    (ValidatesText(), r"stalker_publish_validate must return a list of ValidationResult; "
                      r"the list holds a str: 'fine'"),
    (ExtractsPaths(), r"stalker_publish_extract must return a list of Representation; "
                      r"the list holds a PosixPath"),
])
def test_plugin_returning_the_wrong_type_is_a_plugin_error(
    session: Any, demo: Demo, plugin: Any, expected: str
) -> None:
    pm = make_pm(plugin)
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    before = files_under(demo.root)
    with pytest.raises(PluginError, match=rf"plugin '{type(plugin).__name__}.*': {expected}"):
        publish(host, v, session=session, pm=pm)
    session.rollback()
    assert not v.is_published and files_under(demo.root) == before


class LongName:
    @hookimpl(specname="stalker_publish_integrate")
    def integrate(self, item: Any, representations: list[Representation],
                  transaction: Any) -> None:
        transaction.add(representations[0].path,
                        Path(item.version.absolute_path) / "publish" / ("n" * 300 + ".fake"))


def test_destination_name_too_long_is_an_integration_error(session: Any, demo: Demo) -> None:
    pm = make_pm(LongName())
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    before = files_under(demo.root)
    with pytest.raises(IntegrationError, match=r"cannot publish: the name 'n+'\.\.\. .* is "
                                               r"305 bytes long; .* allows 255"):
        publish(host, v, session=session, pm=pm)
    session.rollback()
    assert not v.is_published and files_under(demo.root) == before

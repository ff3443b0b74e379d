"""Scene: a task with a code; shots may be in several scenes (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from test_prod_support import Prod, prod  # noqa: F401 - fixture


def test_scene(prod: Prod) -> None:
    from stalker_core.models import Scene, Shot

    s1 = Scene(code="SC1", project=prod.project)
    s2 = Scene(name="Chase", code="SC2", project=prod.project)
    sh = Shot(code="SH1", project=prod.project, scenes=[s1, s2])
    prod.session.add(sh)
    prod.session.commit()
    prod.session.expire_all()
    assert (s1.name, s2.name) == ("SC1", "Chase") and sh.scenes == [s1, s2]

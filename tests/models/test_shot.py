"""Shot: code as name, unique code per project, sequences, scenes, cut, fps (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerTypeError, ValidationError


def test_code_is_the_default_name_and_sequences(prod: Prod) -> None:
    from stalker_core.models import Scene, Sequence, Shot

    seq1 = Sequence(code="SEQ1", project=prod.project)
    seq2 = Sequence(name="Flashbacks", code="FB", project=prod.project)
    scene = Scene(code="SC01", project=prod.project)
    sh = Shot(code="SH001", project=prod.project, sequences=[seq1, seq2], scenes=[scene])
    prod.session.add(sh)
    prod.session.commit()
    prod.session.expire_all()
    stored = prod.session.scalars(select(Shot).filter_by(code="SH001")).one()
    assert stored.name == "SH001" and seq1.name == "SEQ1" and scene.name == "SC01"
    assert stored.sequences == [seq1, seq2] and stored.scenes == [scene]
    with pytest.raises(StalkerTypeError, match="Shot.sequences should be a list of Sequence"):
        sh.sequences.append(scene)


def test_code_unique_per_project(prod: Prod) -> None:
    from stalker_core.models import Project, Shot

    prod.session.add(Shot(code="SH001", project=prod.project))
    prod.session.commit()
    other = Project(name="Other", code="OT")
    prod.session.add(Shot(code="SH001", project=other))  # another project: fine
    prod.session.commit()
    prod.session.add(Shot(code="SH001", project=prod.project))
    with pytest.raises(ValidationError, match="Shot.code should be unique in project"):
        prod.session.commit()
    prod.session.rollback()
    twins = [Shot(code="X", project=prod.project), Shot(code="X", project=prod.project)]
    prod.session.add_all(twins)
    with pytest.raises(ValidationError, match="'X' is used twice"):
        prod.session.flush()
    prod.session.rollback()


def test_renaming_shots_checks_codes(prod: Prod) -> None:
    from stalker_core.models import Shot

    a = Shot(code="A", project=prod.project)
    b = Shot(code="B", project=prod.project)
    prod.session.add_all([a, b])
    prod.session.commit()
    a.code, b.code = "B", "A"  # a swap is fine
    prod.session.commit()
    a.code = "A"
    with pytest.raises(ValidationError, match="already exists"):
        prod.session.commit()
    prod.session.rollback()


def test_cut_range(prod: Prod) -> None:
    from stalker_core.models import Shot

    sh = Shot(code="SH1", project=prod.project, cut_in=1001, cut_out=1100)
    assert sh.cut_duration == 100
    sh.cut_duration = 50
    assert sh.cut_out == 1050
    assert Shot(code="SH2", project=prod.project, cut_in=10, cut_duration=5).cut_out == 14
    with pytest.raises(ValidationError, match="cut_out >= cut_in"):
        sh.cut_out = 1000
    with pytest.raises(StalkerTypeError, match="an int"):
        sh.cut_in = "1001"
    with pytest.raises(ValidationError, match="1 or more"):
        sh.cut_duration = 0
    assert (sh.cut_in, sh.cut_out) == (1001, 1050)


def test_fps_and_image_format_fall_back_to_project(prod: Prod) -> None:
    from stalker_core.models import ImageFormat, Shot

    hd = ImageFormat(name="HD 1080", width=1920, height=1080)
    uhd = ImageFormat(name="UHD", width=3840, height=2160)
    prod.project.fps = 24
    prod.project.image_format = hd
    sh = Shot(code="SH1", project=prod.project)
    assert sh.fps == 24 and sh.image_format is hd
    sh.fps = 48
    sh.image_format = uhd
    prod.session.add(sh)
    prod.session.commit()
    prod.session.expire_all()
    assert sh.fps == 48 and sh.image_format.name == "UHD" and prod.project.fps == 24
    sh.fps = None
    assert sh.fps == 24
    for bad in (0, -25, float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValidationError, match=r"Shot.fps should be a (finite number|number >)"):
            sh.fps = bad
    with pytest.raises(ValidationError, match=r"Shot.fps should be a finite number, not nan"):
        Shot(code="SH002", project=prod.project, fps=float("nan"))
    assert sh.fps == 24
    with pytest.raises(StalkerTypeError, match="an ImageFormat"):
        sh.image_format = "HD"

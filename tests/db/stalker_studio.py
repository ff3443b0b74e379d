"""Build a studio with the real Stalker (1.1), for the import tests.

Run as a script in its own process (Stalker keeps a global ``DBSession``
that must not meet ours)::

    python tests/db/stalker_studio.py URL

It creates the database with ``stalker.db.setup``/``init`` and fills it with
the seed tutorial's studio (users, a department, a commercial project with a
sequence, shots and dependent tasks, a repository, a structure with filename
templates) plus one or more of every other kind the importer copies: groups
and permissions, working hours and vacations, assets and a scene, resources,
responsible and watchers, schedule constraints, time logs, reviews, versions
with files, references (files) of a project, tasks and a file, tickets, notes,
pages, messages with a status, budgets and dailies, a user's own
permissions and generic data of a page.
It prints ``ok``.
"""

from __future__ import annotations

import datetime as dt
import sys


def build(url: str) -> None:
    """Create and fill the Stalker database at ``url``."""
    from stalker import (
        Asset,
        Budget,
        BudgetEntry,
        Daily,
        Department,
        File,
        FilenameTemplate,
        Good,
        Group,
        ImageFormat,
        Message,
        Note,
        Page,
        Permission,
        PriceList,
        Project,
        Repository,
        Review,
        Scene,
        Sequence,
        Shot,
        Status,
        StatusList,
        Structure,
        Studio,
        Task,
        Ticket,
        TimeLog,
        Type,
        User,
        Vacation,
        Variant,
        Version,
        WorkingHours,
    )
    from stalker.db import setup as db
    from stalker.db.session import DBSession
    from stalker.models.enum import ScheduleConstraint, ScheduleModel, TimeUnit

    utc = dt.UTC
    db.setup({"sqlalchemy.url": url})
    db.init()

    wh = WorkingHours(working_hours={"sat": [[600, 720]], "sun": []})
    studio = Studio(name="My Great Studio", working_hours=wh)
    DBSession.add(studio)

    me = User(name="Erkan Ozgur Yilmaz", login="eoyilmaz",
              email="some_email_address@gmail.com", password="secret",
              description="This is me")
    other = User(name="Ann Artist", login="ann", email="ann@example.com",
                 password="p4ss w0rd", efficiency=0.8, rate=120.0)
    tds = Department(name="TDs", description="This is the TDs department")
    tds.users.append(me)
    artists = Group(name="Artists")
    artists.users = [me, other]
    artists.permissions = Permission.query.filter_by(class_name="Task").all()
    other.permissions = Permission.query.filter_by(class_name="Asset").all()  # own rules
    DBSession.add_all([me, other, tds, artists])
    DBSession.add(Vacation(user=other, start=dt.datetime(2014, 4, 14, tzinfo=utc),
                           end=dt.datetime(2014, 4, 16, tzinfo=utc)))
    DBSession.add(Vacation(start=dt.datetime(2014, 4, 23, tzinfo=utc),
                           end=dt.datetime(2014, 4, 24, tzinfo=utc)))
    DBSession.commit()

    status_new = Status.query.filter_by(code="NEW").first()
    status_wip = Status.query.filter_by(code="WIP").first()
    status_cmpl = Status.query.filter_by(code="CMPL").first()
    project_statuses = StatusList.query.filter_by(target_entity_type="Project").first()
    if StatusList.query.filter_by(target_entity_type="Budget").first() is None:
        DBSession.add(StatusList(name="Budget Statuses", target_entity_type="Budget",
                                 statuses=[status_new, status_wip, status_cmpl]))
    commercial_type = Type(name="Commercial Project", code="comm",
                           target_entity_type="Project")
    repo = Repository(name="Commercial Repository", code="CR",
                      linux_path="/mnt/M/commercials", windows_path="M:/commercials",
                      macos_path="/Volumes/M/commercials")
    task_tpl = FilenameTemplate(
        name="Task Template for Commercials", target_entity_type="Task",
        path="$REPO{{project.repository.code}}/{{project.code}}/"
             "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}",
        filename="{{version.nice_name}}_v{{'%03d'|format(version.version_number)}}")
    asset_tpl = FilenameTemplate(
        name="Asset Template for Commercials", target_entity_type="Asset",
        path="$REPO{{project.repository.code}}/{{project.code}}/Assets/{{asset.code}}",
        filename="{{version.nice_name}}_v{{'%03d'|format(version.version_number)}}")
    structure = Structure(name="Commercial Projects Structure",
                          templates=[task_tpl, asset_tpl],
                          custom_template="Assets\nSequences\n")
    project = Project(name="Fancy Commercial", code="FC", status_list=project_statuses,
                      repositories=[repo], type=commercial_type, structure=structure)
    project.description = "The commercial is about this fancy product."
    project.image_format = ImageFormat(name="HD 1080", width=1920, height=1080)
    project.fps = 25
    project.start = dt.datetime(2014, 4, 1, tzinfo=utc)
    project.end = dt.datetime(2014, 5, 15, tzinfo=utc)
    project.users.append(me)
    project.users.append(other)
    DBSession.add(project)
    DBSession.commit()

    seq1 = Sequence(name="Sequence 1", code="SEQ1", project=project)
    shots = [Shot(name=code, code=code, project=project, sequence=seq1,
                  cut_in=1001, cut_out=1100 + 10 * i, source_in=1001 + i,
                  source_out=1090 + 10 * i, html_style="color: red;" if i else "",
                  html_class="urgent" if i else "", generic_text=f"shot {i} notes")
             for i, code in enumerate(["SH001", "SH002", "SH003"])]
    character = Type(name="Character", code="char", target_entity_type="Asset")
    hero = Asset(name="Hero", code="hero", project=project, type=character)
    scene = Scene(name="Opening", code="opening", project=project)
    DBSession.add_all([seq1, *shots, hero, scene])
    DBSession.commit()

    sh001 = shots[0]
    previs = Task(name="Previs", parent=sh001, resources=[me], responsible=[other],
                  schedule_timing=2, schedule_unit=TimeUnit.Day)
    matchmove = Task(name="Matchmove", parent=sh001, resources=[other],
                     schedule_timing=1, schedule_unit=TimeUnit.Day)
    anim = Task(name="Animation", parent=sh001, resources=[other],
                alternative_resources=[me], responsible=[me], watchers=[other],
                schedule_timing=10, schedule_unit=TimeUnit.Hour, priority=700)
    lighting = Task(name="Lighting", parent=sh001, resources=[me], schedule_timing=1,
                    schedule_unit=TimeUnit.Week, schedule_model=ScheduleModel.Duration)
    comp = Task(name="comp", parent=sh001, resources=[me], schedule_timing=3,
                schedule_unit=TimeUnit.Hour,
                schedule_constraint=ScheduleConstraint.Start,
                start=dt.datetime(2014, 4, 2, 10, tzinfo=utc),
                end=dt.datetime(2014, 4, 2, 13, tzinfo=utc))
    model = Task(name="Model", parent=hero, resources=[other], schedule_timing=2,
                 schedule_unit=TimeUnit.Day, bid_timing=3, bid_unit=TimeUnit.Day)
    layout = Task(name="Layout", project=project, resources=[me],
                  schedule_timing=4, schedule_unit=TimeUnit.Hour)
    DBSession.add_all([previs, matchmove, anim, lighting, comp, model, layout])
    DBSession.commit()
    comp.depends_on = [lighting]
    lighting.depends_on = [anim]
    anim.depends_on = [previs, matchmove]
    DBSession.commit()
    for dep in anim.task_depends_on:
        dep.gap_timing = 2
        dep.gap_unit = TimeUnit.Hour
    previs.computed_start = dt.datetime(2014, 4, 1, 10, tzinfo=utc)
    previs.computed_end = dt.datetime(2014, 4, 2, 19, tzinfo=utc)
    previs.computed_resources = [me]
    DBSession.commit()

    # time logs, then a review (the task must be in progress for both)
    DBSession.add(TimeLog(task=previs, resource=me,
                          start=dt.datetime(2014, 4, 1, 10, tzinfo=utc),
                          end=dt.datetime(2014, 4, 1, 14, tzinfo=utc)))
    DBSession.add(TimeLog(task=model, resource=other,
                          start=dt.datetime(2014, 4, 1, 10, tzinfo=utc),
                          end=dt.datetime(2014, 4, 1, 12, tzinfo=utc)))
    DBSession.commit()
    reviews = previs.request_review()
    reviews[0].approve()
    DBSession.add(Review(task=model, reviewer=me, description="Looks good",
                         schedule_timing=1, schedule_unit=TimeUnit.Hour,
                         status=Status.query.filter_by(code="NEW").first()))
    DBSession.commit()

    v1 = Version(task=previs, created_with="Blender")
    DBSession.add(v1)
    DBSession.commit()
    v1.files.append(File(full_path=str(v1.generate_path(".blend")), created_with="Blender"))
    v2 = Version(task=previs, parent=v1, description="second")
    DBSession.add(v2)
    DBSession.commit()
    v2.files.append(File(full_path=str(v2.generate_path(".blend"))))
    v2.is_published = True
    out = File(full_path="/mnt/M/commercials/FC/Previs/Outputs/previs_v002.mov",
               original_filename="previs.mov", created_with="ffmpeg")
    v2.files.append(out)
    DBSession.add(out)
    DBSession.commit()

    # a take of the model task (Stalker 1.1 keeps takes as Variant tasks)
    hires = Variant(name="HiRes", parent=model)
    DBSession.add(hires)
    DBSession.commit()
    v3 = Version(task=hires)
    DBSession.add(v3)
    DBSession.commit()
    v3.files.append(File(full_path="/mnt/M/commercials/FC/Assets/hero/Model/HiRes/"
                                   "Model_HiRes_v001.ma", created_with="Maya"))
    DBSession.commit()

    # references: a project's, two tasks' (an Asset is a Task) and a version file's
    board = File(full_path="/mnt/M/commercials/FC/References/board.jpg",
                 original_filename="board.jpg")
    mood = File(full_path="/mnt/M/commercials/FC/References/mood.jpg")
    project.references.append(board)
    previs.references = [board, mood]
    hero.references.append(mood)
    v2.files[0].references.append(board)
    # messages: Stalker gives each a status from the "Message" status list
    message_statuses = StatusList(name="Message Statuses", target_entity_type="Message",
                                  statuses=[status_new, status_wip, status_cmpl])
    DBSession.add_all([board, mood, message_statuses,
                       Message(name="Farm down", description="The render farm is down",
                               status_list=message_statuses, status=status_wip),
                       Message(name="Farm back", status_list=message_statuses,
                               status=status_cmpl)])
    DBSession.commit()

    ticket = Ticket(project=project, summary="Hero mesh is broken",
                    description="The hero mesh has holes",
                    priority="MAJOR", links=[v2])
    ticket.reassign(me, other)
    note = Note(content="Please check the lighting rig", name="Lighting note")
    lighting.notes.append(note)
    page = Page(title="Pipeline", content="<h1>How we work</h1>", project=project)
    DBSession.add_all([ticket, note, page])
    DBSession.commit()
    page.generic_data = [hero]
    DBSession.commit()

    good = Good(name="Animation Day", cost=200, msrp=300, unit="day")
    PriceList(name="Default Prices", goods=[good])
    budget = Budget(name="Main Budget", project=project)
    DBSession.add(BudgetEntry(budget=budget, good=good, amount=12, price=3600,
                              realized_total=2400))
    daily = Daily(name="Daily 1", project=project)
    daily.files.append(out)
    DBSession.add_all([budget, daily])
    DBSession.commit()


if __name__ == "__main__":
    build(sys.argv[1])
    print("ok")

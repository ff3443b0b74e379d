"""Status lookups: one light catalog query per transaction, lists read only when needed."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import datetime as dt

import pytest
from sql_probe import statements_sent
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StatusError


def _task_with_list(prod: Prod, *codes: str) -> tuple[int, int]:
    """A stored task whose own status list holds ``codes``; ``(task id, list id)``."""
    from stalker_core.models import StatusList, Task
    from stalker_core.models.task.status import get_status

    status_list = StatusList(name=f"only {' '.join(codes)}", target_entity_type="Task",
                             statuses=[get_status(prod.session, c) for c in codes])
    task = Task(name="Paint", project=prod.project, status_list=status_list)
    prod.session.add(task)
    prod.session.commit()
    ids = task.id, status_list.id
    prod.session.remove()
    return ids


def test_status_for_reads_no_status_list(prod: Prod) -> None:
    """The list's membership comes from the catalog: no list, no link is loaded."""
    from stalker_core.models import StatusList, Task
    from stalker_core.models.task.status import code_of, status_for

    task_id, _ = _task_with_list(prod, "RTS", "WIP")
    s = prod.session
    task = s.get(Task, task_id)
    with statements_sent(s) as seen:
        assert code_of(task) == "RTS"
        assert status_for(s, task, "WIP").code == "WIP"
    assert not [q for q in seen if "status_lists" in q.split(" WHERE ")[0].split(" FROM ")[-1]]
    assert not any(isinstance(o, StatusList) for o in s.identity_map.values())
    assert "status_list" not in task.__dict__


def test_a_status_the_list_lacks_is_still_refused(prod: Prod) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.status import status_for

    task_id, _ = _task_with_list(prod, "RTS", "CMPL")
    task = prod.session.get(Task, task_id)
    with pytest.raises(StatusError, match=r"should get the status WIP .* holds RTS, CMPL"):
        status_for(prod.session, task, "WIP")


def test_a_list_changed_by_another_session_is_read_before_refusing(prod: Prod) -> None:
    from stalker_core.models import StatusList, Task
    from stalker_core.models.task.status import code_of, get_status, status_for
    from stalker_core.orm.session import StalkerSession

    task_id, list_id = _task_with_list(prod, "RTS", "CMPL")
    s = prod.session
    task = s.get(Task, task_id)
    assert code_of(task) == "RTS"  # the catalog is read: WIP is not in the list
    with StalkerSession(bind=s.get_bind()) as other:
        other.get(StatusList, list_id).statuses.append(get_status(other, "WIP"))
        other.commit()
    assert status_for(s, task, "WIP").code == "WIP"


def test_a_list_changed_and_flushed_in_the_session_is_followed(prod: Prod) -> None:
    """The catalog read before the change is forgotten when the flush writes the links."""
    from stalker_core.models import StatusList, Task
    from stalker_core.models.task.status import code_of, status_for

    task_id, list_id = _task_with_list(prod, "RTS", "WIP")
    s = prod.session
    task = s.get(Task, task_id)
    assert code_of(task) == "RTS"  # the catalog says: WIP is in the list
    status_list = s.get(StatusList, list_id)
    status_list.statuses = [st for st in status_list.statuses if st.code != "WIP"]
    s.flush()
    s.expire(status_list)
    with pytest.raises(StatusError, match=r"should get the status WIP .* holds RTS;"):
        status_for(s, task, "WIP")


def test_codes_come_from_ids_without_loading_statuses(prod: Prod) -> None:
    from stalker_core.models import Status, Task
    from stalker_core.models.task.status import code_for_id, get_status

    wip = get_status(prod.session, "WIP").id
    task_id, _ = _task_with_list(prod, "RTS", "WIP")
    s = prod.session
    s.get(Task, task_id)
    assert code_for_id(s, wip) == "WIP"
    assert code_for_id(s, None) is None
    assert code_for_id(s, 10**9) is None
    assert not any(isinstance(o, Status) for o in s.identity_map.values())


def test_get_status_returns_the_sessions_object(prod: Prod) -> None:
    from stalker_core.models import Status
    from stalker_core.models.task.status import get_status

    s = prod.session
    wip = get_status(s, "WIP")
    assert get_status(s, "WIP") is wip
    assert s.get(Status, wip.id) is wip
    with pytest.raises(StatusError, match=r"unknown status code 'NOPE'; known codes: WFD, RTS"):
        get_status(s, "NOPE")


def test_a_status_changed_by_another_session_is_read_again(prod: Prod) -> None:
    """The copies kept per process serve a status only while its row is unchanged."""
    from sqlalchemy import update

    from stalker_core.models import SimpleEntity, Status
    from stalker_core.models.task.status import get_status
    from stalker_core.orm.session import StalkerSession

    s = prod.session
    assert get_status(s, "WIP").name == "Work In Progress"
    s.commit()
    s.remove()
    assert get_status(s, "WIP").name == "Work In Progress"  # from the kept copy
    s.commit()
    s.remove()
    # as another process would change it: no mapper event of this process sees it
    entities = SimpleEntity.__table__
    with StalkerSession(bind=s.get_bind()) as other:
        other.execute(
            update(entities).where(entities.c.id == get_status(other, "WIP").id)
            .values(name="Doing It", date_updated=dt.datetime.now(dt.UTC))
        )
        other.commit()
    wip = get_status(s, "WIP")
    assert wip.name == "Doing It"
    assert wip in s and s.get(Status, wip.id) is wip

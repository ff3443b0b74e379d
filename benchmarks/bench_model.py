"""Organisation-model benchmarks: stalker_core vs Stalker 1.1.2.1 (contract C5).

Rows of this module (each repetition in a fresh process on a fresh database):

* ``db.setup()+db.init()``: schema and default data on an empty database;
* ``studio, 20 users, 4 departments, 1 project``: build and commit them, with
  passwords (ours: salted scrypt, ~30 ms per user by design; Stalker: base64);
* the same with passwords set from precomputed hashes (what an import does):
  the ORM part alone;
* the same at studio scale: 500 users in 10 departments, on 5 projects;
* ``users of a department``: the members of one of 4 departments of 200
  users, 50 times on a fresh session state; the time is per query.

It also runs the ``ROWS`` of every ``benchmarks/rows_*.py`` (production,
scheduling, ...) and prints one table of medians and ratios (peer / ours).

Usage::

    python benchmarks/bench_model.py [--backend sqlite|postgresql] [--repeat N]
                                     [--only SUBSTRING] [--no-peer] [--json PATH]

PostgreSQL: ``STALKER_BENCH_PG_URL`` (admin URL) or a throwaway server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    BACKENDS,
    Row,
    Timer,
    load_module,
    ours_setup,
    peer_setup,
    print_table,
    results_as_json,
    row_modules,
    run_rows,
)

USERS = 20
DEPARTMENTS = 4
QUERY_USERS = 200
QUERIES = 50
BIG_USERS = 500
BIG_DEPS = 10
BIG_PROJECTS = 5


# --- db.setup() + db.init() --------------------------------------------------


def ours_setup_init(url: str) -> float:
    import stalker_core.models  # noqa: F401 - import cost is not the measured part

    with Timer() as t:
        ours_setup(url)
    return t.seconds


def peer_setup_init(url: str) -> float:
    import warnings

    warnings.simplefilter("ignore")
    import stalker  # noqa: F401
    import stalker.db.setup  # noqa: F401

    with Timer() as t:
        peer_setup(url)
    return t.seconds


# --- studio with users in departments and a project --------------------------


def _studio_workload(
    lib: Any, session: Any, user_kw: dict[str, Any], users: int, departments: int, projects: int
) -> float:
    """Create and commit the studio on either library (``stalker_core`` or ``stalker``)."""
    with Timer() as t:
        studio = lib.Studio(name="Bench Studio")
        deps = [lib.Department(name=f"Dep {d}") for d in range(departments)]
        members = []
        for i in range(users):
            u = lib.User(name=f"User {i}", login=f"user{i}", email=f"user{i}@example.com",
                         **user_kw)
            deps[i % departments].users.append(u)
            members.append(u)
        repo = lib.Repository(name="Repo", code="R")
        made = []
        for p in range(projects):
            project = lib.Project(name=f"Bench Project {p}", code=f"BP{p}", repositories=[repo])
            for u in members:
                project.users.append(u)
            made.append(project)
        session.add_all([studio, *deps, *made])
        session.commit()
    return t.seconds


def ours_studio(
    url: str, *, prehashed: bool = False, users: int = USERS, departments: int = DEPARTMENTS,
    projects: int = 1,
) -> float:
    import stalker_core
    from stalker_core.models.user import hash_password

    session = ours_setup(url)
    pw = {"password_hash": hash_password("pw")} if prehashed else {"password": "pw"}
    return _studio_workload(stalker_core, session, pw, users, departments, projects)


def ours_studio_prehashed(url: str) -> float:
    return ours_studio(url, prehashed=True)


def ours_big_studio(url: str) -> float:
    return ours_studio(url, prehashed=True, users=BIG_USERS, departments=BIG_DEPS,
                       projects=BIG_PROJECTS)


def peer_big_studio(url: str) -> float:
    return peer_studio(url, users=BIG_USERS, departments=BIG_DEPS, projects=BIG_PROJECTS)


def peer_studio(
    url: str, *, users: int = USERS, departments: int = DEPARTMENTS, projects: int = 1
) -> float:
    import warnings

    warnings.simplefilter("ignore")
    import stalker

    session = peer_setup(url)
    return _studio_workload(stalker, session, {"password": "pw"}, users, departments, projects)


# --- users of a department ---------------------------------------------------


def ours_dep_users(url: str) -> float:
    from stalker_core.models import Department, User
    from stalker_core.models.user import hash_password

    session = ours_setup(url)
    stored = hash_password("pw")
    deps = [Department(name=f"Dep {d}") for d in range(DEPARTMENTS)]
    for i in range(QUERY_USERS):
        u = User(name=f"User {i}", login=f"user{i}", email=f"user{i}@example.com",
                 password_hash=stored)
        deps[i % DEPARTMENTS].users.append(u)
    session.add_all(deps)
    session.commit()
    session.expunge_all()
    expected = QUERY_USERS // DEPARTMENTS
    with Timer() as t:
        for _ in range(QUERIES):
            dep = Department.query.filter_by(name="Dep 2").first()
            names = [u.name for u in dep.users]
            assert len(names) == expected, len(names)
            session.expunge_all()
    return t.seconds / QUERIES


def peer_dep_users(url: str) -> float:
    import warnings

    warnings.simplefilter("ignore")
    from stalker import Department, User

    session = peer_setup(url)
    deps = [Department(name=f"Dep {d}") for d in range(DEPARTMENTS)]
    for i in range(QUERY_USERS):
        u = User(name=f"User {i}", login=f"user{i}", email=f"user{i}@example.com",
                 password="pw")
        deps[i % DEPARTMENTS].users.append(u)
    session.add_all(deps)
    session.commit()
    session.expunge_all()
    expected = QUERY_USERS // DEPARTMENTS
    with Timer() as t:
        for _ in range(QUERIES):
            dep = Department.query.filter_by(name="Dep 2").first()
            names = [u.name for u in dep.users]
            assert len(names) == expected, len(names)
            session.expunge_all()
    return t.seconds / QUERIES


ROWS: list[Row] = [
    Row("db.setup()+db.init()", ours_setup_init, peer_setup_init, repeat=5),
    Row("studio, 20 users (passwords), 4 deps, 1 project", ours_studio, peer_studio),
    Row("studio, 20 users (prehashed), 4 deps, 1 project", ours_studio_prehashed, peer_studio),
    Row("studio, 500 users (prehashed), 10 deps, 5 projects", ours_big_studio, peer_big_studio),
    Row("users of a department (per query)", ours_dep_users, peer_dep_users),
]


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKENDS, action="append")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--only", default=None, help="run rows whose name contains this")
    parser.add_argument("--no-peer", action="store_true", help="skip Stalker 1.1.2.1")
    parser.add_argument("--no-modules", action="store_true", help="skip rows_*.py modules")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    here = Path(__file__).resolve()
    sources = [(here, row) for row in ROWS]
    if not args.no_modules:
        for path in row_modules():
            for row in getattr(load_module(path), "ROWS", []):
                sources.append((path, row))
    if args.only:
        sources = [(p, r) for p, r in sources if args.only.lower() in r.name.lower()]
    from rich.console import Console

    console = Console(stderr=True)
    load_before = os.getloadavg()
    results = run_rows(
        sources, backends=tuple(args.backend or BACKENDS), repeat=args.repeat,
        with_peer=not args.no_peer, progress=lambda msg: console.log(msg),
    )
    print_table(results)
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, "
          f"after {_load(os.getloadavg())} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(results_as_json(results), encoding="utf-8")
    return 0 if all(not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

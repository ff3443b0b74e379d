"""The TaskJuggler backend and the TaskJuggler (``.tjp``) text of the models.

:class:`TaskJugglerScheduler` (:mod:`~stalker_core.scheduling.taskjuggler.backend`)
writes a problem as tjp, runs ``tj3`` and reads the plan back;
:mod:`~stalker_core.scheduling.taskjuggler.tjp` writes the text, of a whole
problem (:func:`render_problem`, :func:`tjp_file`) or of one model object
(:func:`to_tjp`, what ``Studio.to_tjp`` and the other models print).
"""

from __future__ import annotations

from stalker_core.scheduling.taskjuggler.backend import TaskJugglerScheduler, find_tj3
from stalker_core.scheduling.taskjuggler.tjp import render_problem, tjp_file, to_tjp

__all__ = ["TaskJugglerScheduler", "find_tj3", "render_problem", "tjp_file", "to_tjp"]

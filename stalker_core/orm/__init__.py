"""The project's SQLAlchemy session, below the models.

* :mod:`.session` - :class:`~stalker_core.orm.session.StalkerSession`, the one
  session class stalker_core makes sessions of, and ``DBSession``, the scoped
  session of the tutorial API (also importable as
  ``stalker_core.db.session.DBSession``, the tutorial's path);
* :mod:`._sqla_private` - the few private SQLAlchemy names the project still
  needs, isolated in one module and checked by name in the tests.

This package sits between the configuration and the models in the layer
order (``docs/layers.md``): the models use the session for ``Model.query``,
and :mod:`stalker_core.db` (which creates the models' tables) sits above them.
"""

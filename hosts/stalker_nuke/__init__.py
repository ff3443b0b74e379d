"""The Nuke host: :class:`~stalker_nuke.adapter.NukeHost`, its plugin and start-up files.

Importing this package does not import ``nuke``; :mod:`stalker_nuke.adapter`
does (it runs only inside Nuke, or in tests against the fake ``nuke`` module
in ``tests/fakes/nuke``).
"""

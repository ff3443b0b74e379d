"""FAKE ``maya`` package for the tests of ``stalker_maya`` - this is not Autodesk Maya.

It models only the ``maya.cmds`` / ``maya.utils`` subset the adapter calls
(see ``tests/fakes/README.md``). :data:`IS_STALKER_TEST_FAKE` lets code tell
the fake from the real package; :data:`pretend_inside_maya` makes the fake
answer ``cmds.about(version=True)`` as if it were a running Maya, for the
tests of host detection (off by default, like a plain Python with a stray
``maya`` package on its path).
"""

#: marks this package as the test fake (the real ``maya`` has no such attribute)
IS_STALKER_TEST_FAKE = True

#: when true, ``maya.cmds.about(version=True)`` answers like a running Maya
pretend_inside_maya = False

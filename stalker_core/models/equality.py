"""Value equality of entities, as Stalker defines it; hashing stays by identity.

Two entities are equal (``==``) when they are of the same kind and agree on
the attributes Stalker compares for that kind: the name for most classes,
more for some (a Task also its project, parent, dependencies, dates and
resources; a User its login and e-mail), other attributes instead of the name
for a few (a Shot: its code and project). :data:`VALUE_KEYS` is the one
table of those rules. ``status == "WIP"`` compares a :class:`Status` with a
code or a name, case-insensitively.

The hash is **not** by value. It stays the object's identity, for three reasons:

* a hash must not change while the object is in a set or a dict key, and a
  name or a parent changes (a rename, a move; Stalker's hash also changes
  when the flush gives the object its id);
* SQLAlchemy keeps objects by identity (identity map, ``Session.new``), and
  the scheduler, the roll-ups and the workflows keep tasks in sets and dicts
  across renames and flushes;
* every attribute that could make a value hash stable is one that changes.

So a set or dict key is an identity set: two distinct but equal entities are
two members (``a == b`` yet ``{a, b}`` has two items), which is what code
handling database rows wants. ``==``, ``in`` on a list, ``list.remove()`` and
``list.index()`` compare by value, as in Stalker. docs/stalker-compat.md ("Behaviour")
says the same for users.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from sqlalchemy.orm import object_session

#: class name -> (whether the rule replaces the parent class's, the attributes
#: compared). A rule that does not replace adds its attributes to the
#: parent's. Every class listed also demands ``other`` be an instance of it.
#: ``is:`` before an attribute compares it by identity (TimeLog's task and resource).
VALUE_KEYS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "SimpleEntity": (True, ("name",)),
    "Entity": (False, ()),
    "Asset": (False, ("type",)),
    "Client": (False, ()),
    "Department": (False, ()),
    "EntityGroup": (False, ("entities",)),
    "File": (False, ("full_path", "type")),
    "FilenameTemplate": (False, ("target_entity_type", "path", "filename")),
    "ImageFormat": (False, ("width", "height", "pixel_aspect")),
    "Note": (False, ("content",)),
    "Project": (False, ()),
    "Repository": (False, ("linux_path", "macos_path", "windows_path")),
    "Scene": (False, ()),
    "Sequence": (False, ()),
    "Shot": (True, ("code", "project")),
    "Status": (False, ()),
    "StatusList": (False, ("statuses", "target_entity_type")),
    "Structure": (False, ("templates", "custom_template")),
    "Tag": (False, ()),
    "Task": (False, ("project", "parent", "depends_on", "start", "end", "resources")),
    "Ticket": (False, ("number", "status", "logs", "priority")),
    "TimeLog": (True, ("is:task", "is:resource", "start", "end", "name")),
    "Type": (False, ("target_entity_type",)),
    "User": (False, ("email", "login")),
    "Version": (False, ("task", "version_number")),
    "WorkingHours": (True, ("working_hours",)),
}

#: the classes whose objects also equal a str: their code or name, in any case
EQUAL_TO_STR = frozenset({"Status"})

#: class -> (the class ``other`` must be an instance of, the attributes compared,
#: whether a str compares with the code or name)
_RULES: dict[type, tuple[type, tuple[str, ...], bool]] = {}


def rule_of(cls: type) -> tuple[type, tuple[str, ...], bool]:
    """The equality rule of ``cls``: the class to match, the attributes to compare, str-equal.

    Built from :data:`VALUE_KEYS` along ``cls``'s MRO (root first) and cached.
    """
    found = _RULES.get(cls)
    if found is None:
        kind: type = cls
        attrs: tuple[str, ...] = ()
        by_str = False
        for klass in reversed(cls.__mro__):
            entry = VALUE_KEYS.get(klass.__name__)
            if entry is None or not klass.__module__.startswith("stalker_core.models"):
                continue
            replaces, keys = entry
            kind = klass
            attrs = keys if replaces else attrs + tuple(k for k in keys if k not in attrs)
            by_str = by_str or klass.__name__ in EQUAL_TO_STR
        found = _RULES[cls] = (kind, attrs, by_str)
    return found


def _same(a: Any, b: Any, attrs: tuple[str, ...]) -> bool:
    for attr in attrs:
        if attr.startswith("is:"):
            name = attr[3:]
            if getattr(a, name, None) is not getattr(b, name, None):
                return False
        elif getattr(a, attr, None) != getattr(b, attr, None):
            return False
    return True


def entity_eq(self: Any, other: Any) -> Any:
    """``self == other`` for entities (see the module docstring)."""
    if self is other:
        return True
    kind, attrs, by_str = rule_of(type(self))
    if by_str and isinstance(other, str):
        text = other.lower()
        return (self.name or "").lower() == text or (self.code or "").lower() == text
    if not isinstance(other, kind):
        return NotImplemented if not hasattr(other, "__mapper__") else False
    session = object_session(self)
    # comparing relationships may load them: no flush of half-built objects meanwhile
    with session.no_autoflush if session is not None else nullcontext():
        return _same(self, other, attrs)

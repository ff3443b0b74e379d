"""Message: a note sent between users, with a status (Stalker's name and table).

Stalker declares the class with a status and nothing else yet; so does this
one, so that a Stalker database's messages have a place to go and scripts
that name the class import it.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import StatusMixin


class Message(Entity, StatusMixin):
    """A message; its status comes from the ``"Message"`` StatusList, when there is one."""

    __tablename__ = "messages"
    id: Mapped[int] = fk_id("simple_entities")

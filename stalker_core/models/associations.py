"""Lists through association objects: unique members, and both sides kept in step.

``Department.users`` is a list of users read through the ``DepartmentUser``
rows (which carry the member's role): :func:`unique_association_proxy` makes
such a list keep each member once; :func:`unlink_association` removes a link
from the other owner's collection when one side lets it go.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy

from stalker_core.exceptions import type_error
from stalker_core.orm import _sqla_private as sqla_private


def _unique_bulk_set(proxy: Any, values: Any) -> None:
    if not isinstance(values, list | tuple | set | frozenset) and not (
        sqla_private.is_association_list(values)
    ):
        owner, name = sqla_private.proxy_attribute(proxy)
        raise type_error(owner, name, "a list", values)
    for v in values:
        proxy.append(v)


def unlink_association(link: Any, key: str, value: Any, sides: dict[str, str]) -> None:
    """Keep both sides of an association object in step when one side lets go.

    When ``link.<key>`` becomes ``None`` (the link was removed from one owner's
    collection), remove the link from the other owner's collection too, so
    ``user.departments`` does not show a ``None`` before the next flush.

    :param sides: attribute on the link -> name of the owner's collection of links,
        e.g. ``{"department": "user_roles", "user": "department_roles"}``.
    """
    if value is not None or link.__dict__.get(key) is None or link.__dict__.get("_unlinking"):
        return
    link.__dict__["_unlinking"] = True
    try:
        for attr, collection in sides.items():
            if attr == key:
                continue
            other = link.__dict__.get(attr)
            if other is not None:
                links = getattr(other, collection)
                if link in links:
                    links.remove(link)
    finally:
        link.__dict__.pop("_unlinking", None)


def unique_association_proxy(
    target_collection: str, attr: str, creator: Any
) -> AssociationProxy[Any]:
    """An ``association_proxy`` list through an association object that keeps members unique.

    ``dep.users.append(u)`` followed by ``u.departments.append(dep)`` makes
    one membership, not two (the tutorial does both).
    """
    return association_proxy(
        target_collection, attr, creator=creator,
        proxy_factory=sqla_private.unique_list_factory,
        proxy_bulk_set=_unique_bulk_set,  # type: ignore[arg-type]
    )

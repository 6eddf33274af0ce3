"""What one store's parts share: its repository, configuration, issues access, identity map,
record types and reads, and the hook run when an update reopens an object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from attrs import define

from ..config import Config
from ..github.issues import Issues
from .identity import IdentityMap
from .reads import Reads
from .record_types import RecordTypes

__all__ = ["ReopenHook", "StoreContext"]

ReopenHook = Callable[[int], Awaitable[object]]
"""Called with the issue number after an update reopens an object."""


@define
class StoreContext:
    """The collaborators of one Store, handed to its writes, unit of work and canonical
    operations (so none of them reaches into the Store)."""

    repo: str
    config: Config
    issues: Issues
    identity: IdentityMap
    types: RecordTypes
    reads: Reads
    on_reopened: ReopenHook | None = None

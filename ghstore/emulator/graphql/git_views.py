"""Git objects of a repository's default branch, as `Repository.object(expression:)` answers
them: a file is a Blob. Only `HEAD:PATH` and `main:PATH` (the default branch) are emulated;
commits, trees and other revisions answer NOT_EMULATED, never a silent null."""

from __future__ import annotations

import hashlib

from ..state import RepoRow
from .context import RequestContext
from .errors import NotEmulated
from .views import View

__all__ = ["DEFAULT_BRANCH", "BlobView", "object_at"]

DEFAULT_BRANCH = "main"
MAX_BLOB_TEXT = 512 * 1024
"""Bytes of a blob this emulator answers `text` for; GitHub truncates large blobs
(`isTruncated`) at a size it does not document, so a larger one is not emulated."""


class BlobView(View):
    """A file's content at the default branch's head."""

    typename = "Blob"

    def __init__(self, ctx: RequestContext, content: bytes) -> None:
        super().__init__(ctx)
        self._content = content

    def oid(self) -> str:
        header = b"blob %d\0" % len(self._content)
        return hashlib.sha1(header + self._content, usedforsecurity=False).hexdigest()

    def abbreviatedOid(self) -> str:
        return self.oid()[:7]

    def byteSize(self) -> int:
        return len(self._content)

    def isBinary(self) -> bool:
        try:
            self._content.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return b"\0" in self._content

    def isTruncated(self) -> bool:
        if len(self._content) > MAX_BLOB_TEXT:
            raise NotEmulated(f"A blob over {MAX_BLOB_TEXT} bytes (GitHub truncates it)")
        return False

    def text(self) -> str | None:
        self.isTruncated()
        return None if self.isBinary() else self._content.decode("utf-8")


def object_at(ctx: RequestContext, repo: RepoRow, expression: str) -> BlobView | None:
    """The git object `REV:PATH` names: a Blob of the default branch, or None if absent."""
    revision, colon, path = expression.partition(":")
    if not colon or revision not in ("HEAD", DEFAULT_BRANCH):
        raise NotEmulated(
            f"Expression {expression!r} of field 'Repository.object' (only HEAD:PATH and "
            f"{DEFAULT_BRANCH}:PATH)"
        )
    path = path.strip("/")
    content = ctx.state.file(repo.id, path)
    if content is None:
        if any(p.startswith(path + "/") for p in ctx.state.file_paths(repo.id)):
            raise NotEmulated(f"The tree at {path!r} (field 'Repository.object')")
        return None
    return BlobView(ctx, content)

"""The site's files from its page model: `index.html`, `objects/NAME.html` for each object,
and `.nojekyll` (GitHub Pages serves every file as it is, `_`-names included)."""

from __future__ import annotations

from ..exceptions import SiteError
from .model import SiteModel
from .pages import OBJECTS_DIR, index_html, object_html

__all__ = ["site_files"]


def site_files(site: SiteModel) -> dict[str, str]:
    """Relative path -> content of every file of the site."""
    files = {"index.html": index_html(site), ".nojekyll": ""}
    owners: dict[str, str] = {}
    for obj in site.objects:
        path = f"{OBJECTS_DIR}/{obj.file_name}"
        if path in owners:  # only two ids whose SHA-256 share 128 bits: say so, lose nothing
            raise SiteError(f"objects {owners[path]!r} and {obj.object_id!r} share {path}")
        owners[path] = obj.object_id
        files[path] = object_html(site, obj)
    return files

"""The browsable audit trail: a static site of every stored object, its current state and its
timeline of updates with diffs, written from one read of the store (`ghstore site`).

collect (one read of the store) -> model (what each page shows) -> pages (HTML, escaped)
-> build (the files) -> output (written whole, or not at all). Imports neither the CLI nor
the local GitHub; the CLI imports it only when `ghstore site` runs.
"""

from __future__ import annotations

from ..exceptions import SiteError
from .build import site_files
from .collect import read_site
from .model import ObjectPage, SiteModel, StepView
from .names import page_name
from .output import MARKER, write_site

__all__ = [
    "MARKER",
    "ObjectPage",
    "SiteError",
    "SiteModel",
    "StepView",
    "page_name",
    "read_site",
    "site_files",
    "write_site",
]

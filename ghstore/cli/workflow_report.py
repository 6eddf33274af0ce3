"""What a processor run tells GitHub Actions: a Markdown step summary and annotations.

Annotations are workflow commands written to stderr (the runner reads both streams), so
stdout stays the command's JSON. Outside Actions neither is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from attrs import define, field

if TYPE_CHECKING:
    from ..github.gateway import RateLimitStatus
    from ..processor import ProcessReport

__all__ = ["RunSummary", "annotation", "in_actions"]


def in_actions(environ: Mapping[str, str] | None = None) -> bool:
    """True inside a GitHub Actions job."""
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(kind: str, message: str, *, title: str | None = None) -> str:
    """A workflow command line: `::warning title=...::message` (kind: error, warning, notice)."""
    props = f" title={_escape_property(title)}" if title else ""
    return f"::{kind}{props}::{_escape_data(message)}"


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _code(text: str) -> str:
    """Text shown as data: a code span, in which Markdown and HTML mean nothing."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


@define
class RunSummary:
    """A `process-updates` run: its reports, its cost, and the error that ended it, if any."""

    repository: str
    reports: list[ProcessReport] = field(factory=list)
    requests: int = 0
    points: int = 0
    error: str | None = None
    rate_limit: RateLimitStatus | None = None

    def markdown(self) -> str:
        """The step summary, in GitHub-flavoured Markdown."""
        applied = sum(len(r.applied) for r in self.reports)
        rejected = sum(len(r.rejected) for r in self.reports)
        lines = [f"## ghstore process-updates: {_cell(self.repository)}", ""]
        if self.error:
            lines += [f"**Failed:** {_cell(self.error)}", ""]
        lines.append(
            f"{len(self.reports)} issue(s) processed: **{applied} update(s) applied**, "
            f"**{rejected} rejected**."
        )
        if self.reports:
            lines += [
                "",
                "| Issue | Object | Applied | Rejected | Requests | Points | Note |",
                "| ---: | --- | ---: | ---: | ---: | ---: | --- |",
            ]
            for r in self.reports:
                obj = _code(r.object_id) if r.object_id else ""
                lines.append(
                    f"| #{r.issue_number} | {obj} | {len(r.applied)} | {len(r.rejected)} "
                    f"| {r.requests} | {r.points} | {_cell(r.skipped or r.unfinished or '')} |"
                )
        rejections = [(r, x) for r in self.reports for x in r.rejected]
        if rejections:
            lines += [
                "",
                "### Rejected updates",
                "",
                "| Issue | Object | Comment | Author | Why |",
                "| ---: | --- | ---: | --- | --- |",
            ]
            for r, x in rejections:
                lines.append(
                    f"| #{r.issue_number} | {_code(r.object_id or '')} | {x.comment_id} "
                    f"| {_code(x.author or 'ghost')} | {_code(x.reason)} |"
                )
        spent = f"**Spent:** {self.requests} request(s), {self.points} point(s)"
        if self.rate_limit is not None:
            spent += (
                f"; rate limit {self.rate_limit.remaining:,} of {self.rate_limit.limit:,} "
                f"points left"
            )
        lines += ["", spent + ".", ""]
        return "\n".join(lines)

    def annotations(self) -> list[str]:
        """A warning for each rejected update and each issue left alone for a reason."""
        out = []
        for r in self.reports:
            where = f"issue #{r.issue_number}" + (f" ({r.object_id})" if r.object_id else "")
            for x in r.rejected:
                out.append(
                    annotation(
                        "warning",
                        f"{where}: update comment {x.comment_id} by {x.author or 'ghost'} "
                        f"not applied: {x.reason}",
                        title="ghstore: update rejected",
                    )
                )
            if r.skipped and r.skipped not in ("not a stored object",):
                out.append(
                    annotation("warning", f"{where}: {r.skipped}", title="ghstore: issue skipped")
                )
            if r.unfinished:
                out.append(
                    annotation("warning", f"{where}: {r.unfinished}", title="ghstore: run capped")
                )
        return out

    def publish(self, environ: Mapping[str, str], stream: TextIO) -> None:
        """Append the step summary (if GITHUB_STEP_SUMMARY is set) and write the annotations
        (inside Actions)."""
        path = environ.get("GITHUB_STEP_SUMMARY")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(self.markdown() + "\n")
        if in_actions(environ):
            for line in self.annotations():
                stream.write(line + "\n")
            stream.flush()

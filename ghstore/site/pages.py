"""The site's pages as HTML: the index of objects and one page per object (its current state
and its timeline, each step's diff; refused steps marked and explained, pending ones marked).
Every string that comes from the store goes through ghstore.site.html's escaping."""

from __future__ import annotations

from typing import Any

from .html import json_text, page, tag, text
from .model import ObjectPage, SiteModel, StepView

__all__ = ["OBJECTS_DIR", "index_html", "object_html"]

OBJECTS_DIR = "objects"
"""The folder of the object pages (so no object's page can be the index)."""

# The filter box: shown only when script runs (the index works without it).
_FILTER = (
    "(function () {"
    " var box = document.getElementById('filter');"
    " var rows = document.querySelectorAll('#objects tbody tr');"
    " box.hidden = false;"
    " box.addEventListener('input', function () {"
    "  var wanted = box.value.trim().toLowerCase();"
    "  rows.forEach(function (row) {"
    "   row.hidden = wanted !== '' && row.textContent.toLowerCase().indexOf(wanted) < 0;"
    "  });"
    " });"
    "})();"
)


def _who(login: str | None, association: str | None) -> str:
    name = tag("span", text(login or "ghost"), class_="login")
    return name + (f' <span class="muted">({text(association)})</span>' if association else "")


def _status(step: StepView) -> str:
    return tag("span", text(step.status_word), class_=f"badge {step.status}")


def _index_row(obj: ObjectPage) -> str:
    last = obj.last_change
    link = tag("a", text(obj.object_id), href=f"{OBJECTS_DIR}/{obj.file_name}")
    pending = tag("span", str(obj.pending), class_="badge pending") if obj.pending else "0"
    cells = [
        tag("td", link, class_="id"),
        tag("td", text(obj.collection or "")),
        tag("td", tag("time", text(last.when)) if last else ""),
        tag("td", _who(last.who, last.association) if last else ""),
        tag("td", pending, class_="pending-count"),
        tag("td", str(obj.refused), class_="refused-count"),
    ]
    return tag("tr", "".join(cells), data_id=obj.object_id)


def index_html(site: SiteModel) -> str:
    """The index: every object with its collection, last change, who made it, and how many
    updates wait for the processor; each id links to the object's page."""
    head = "".join(
        f"<th>{name}</th>"
        for name in ("Object", "Collection", "Last change", "By", "Pending", "Refused")
    )
    rows = "\n".join(_index_row(obj) for obj in site.ordered())
    body = (
        f"<h1>{text(site.repo)}</h1>\n"
        f'<p class="muted">{len(site.objects)} stored object(s), read {text(site.generated_at)} '
        f"in {site.requests} request(s), {site.points} point(s).</p>\n"
        '<input id="filter" type="search" placeholder="Filter objects" '
        'aria-label="Filter objects" hidden>\n'
        f'<table id="objects"><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>'
    )
    return page(f"{site.repo}: stored objects", body, _FILTER)


def _value(value: Any) -> str:
    return tag("code", json_text(value, indent=None))


def _diff(step: StepView) -> str:
    if step.status == "rejected":
        return '<p class="muted">Not applied: the object stayed as it was.</p>'
    if not step.changes:
        return '<p class="muted">No field changed.</p>'
    rows = "".join(
        tag(
            "tr",
            tag("td", text(change.op), class_="op")
            + tag("td", tag("code", text(change.path)), class_="path")
            + (
                tag("td", "")
                if change.op == "added"
                else tag("td", _value(change.before), class_="before")
            )
            + (
                tag("td", "")
                if change.op == "removed"
                else tag("td", _value(change.after), class_="after")
            ),
            class_=change.op,
        )
        for change in step.changes
    )
    head = "<tr><th></th><th>Field</th><th>Before</th><th>After</th></tr>"
    return f'<table class="diff"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def _explanation(step: StepView) -> str:
    if step.status == "rejected":
        reason = step.reason or "no reason recorded"
        return tag("p", "Refused: " + text(reason), class_="reason")
    if step.status == "pending" and step.reason:
        return tag(
            "p", "Pending, and the processor will refuse it: " + text(step.reason), class_="reason"
        )
    if step.status == "pending":
        return tag(
            "p",
            "Pending: waiting for the processor; the diff shows what it will change.",
            class_="note",
        )
    if step.reason:
        return tag("p", text(step.reason), class_="note")
    return ""


def _step(step: StepView) -> str:
    what = "created" if step.kind == "initial_state" else text(step.kind)
    header = (
        f"<div>{_status(step)} <strong>#{step.number} {what}</strong> "
        f"<time>{text(step.when)}</time> by {_who(step.who, step.association)}</div>"
    )
    sent = tag(
        "details",
        "<summary>Change as sent</summary>" + tag("pre", json_text(step.sent)),
        open="" if step.status == "rejected" else None,  # what was refused, in view
    )
    parts = [header, _explanation(step), tag("div", sent, class_="sent"), _diff(step)]
    return tag(
        "li",
        "\n".join(p for p in parts if p),
        class_=f"step {step.status}",
        data_status=step.status,
        id=f"step-{step.number}",
    )


def object_html(site: SiteModel, obj: ObjectPage) -> str:
    """An object's page: its current state pretty-printed and its timeline of updates."""
    facts = [
        f"issue #{obj.issue_number}",
        f"version {obj.version}" if obj.version is not None else "",
        "open: updates waiting" if obj.state == "OPEN" else "settled",
    ]
    pending = (
        tag("p", f"{obj.pending} update(s) pending: folded into the state below.", class_="note")
        if obj.pending
        else ""
    )
    notes = "".join(tag("p", text(note), class_="note") for note in obj.notes)
    collection = f"collection {text(obj.collection)} · " if obj.collection else ""
    steps = "\n".join(_step(step) for step in obj.steps)
    body = (
        f'<p><a href="../index.html">← {text(site.repo)}</a></p>\n'
        f"<h1>{text(obj.object_id)}</h1>\n"
        f'<p class="muted">{collection}{text(" · ".join(f for f in facts if f))}</p>\n'
        f"{pending}{notes}<h2>Current state</h2>\n"
        f'<pre id="current">{json_text(obj.current)}</pre>\n'
        f"<h2>Timeline ({len(obj.steps)})</h2>\n"
        f'<ol class="timeline">\n{steps}\n</ol>'
    )
    return page(f"{obj.object_id} · {site.repo}", body)

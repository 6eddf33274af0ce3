"""HTML by plain functions: every user-controlled string goes through `text` (element content)
or `attr` (a double-quoted attribute value); JSON is rendered as escaped text, never markup.

A page is `page(title, body, script)`: inline CSS, no external asset, and a Content Security
Policy that lets nothing load and runs no script but the page's own (by its SHA-256), so a
string that slipped past the escaping still could not run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from string import Template
from typing import Any

__all__ = ["attr", "json_text", "page", "tag", "text"]


def text(value: object) -> str:
    """`value` as element content: `<`, `>`, `&` and quotes escaped."""
    return html.escape(str(value), quote=True)


def attr(value: object) -> str:
    """`value` as a double-quoted attribute value (quotes included)."""
    return f'"{html.escape(str(value), quote=True)}"'


def tag(name: str, content: str, **attributes: object) -> str:
    """`<name a="v">content</name>`; `content` is markup already (escape text with `text`);
    attribute names are ours (`class_` is `class`, `data_x` is `data-x`), values escaped."""
    rendered = "".join(
        f" {key.rstrip('_').replace('_', '-')}={attr(value)}"
        for key, value in attributes.items()
        if value is not None
    )
    return f"<{name}{rendered}>{content}</{name}>"


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """A JSON value pretty-printed (or on one line, `indent=None`), escaped as text."""
    separators = (", ", ": ") if indent is None else None
    dumped = json.dumps(
        value, indent=indent, ensure_ascii=False, sort_keys=False, separators=separators
    )
    return text(dumped)


_STYLE = """
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --wait: #9a6700; --wait-bg: #fff8c5; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  margin: 0 auto; max-width: 1100px; padding: 24px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
a { color: #0969da; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.id { word-break: break-all; }
pre, code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px;
  overflow: auto; white-space: pre-wrap; word-break: break-word; margin: 6px 0; }
.badge { display: inline-block; border-radius: 12px; padding: 0 8px; font-size: 12px;
  font-weight: 600; border: 1px solid currentColor; }
.applied .badge, .badge.applied { color: var(--ok); background: var(--ok-bg); }
.rejected .badge, .badge.rejected { color: var(--bad); background: var(--bad-bg); }
.pending .badge, .badge.pending { color: var(--wait); background: var(--wait-bg); }
ol.timeline { list-style: none; padding: 0; margin: 0; }
.step { border: 1px solid var(--line); border-left: 6px solid var(--ok); border-radius: 6px;
  padding: 10px 14px; margin: 12px 0; }
.step.rejected { border-left-color: var(--bad); background: #fffafa; }
.step.pending { border-left-color: var(--wait); background: #fffdf0; }
.step.rejected .sent, .step.rejected .diff { opacity: .75; }
.reason { color: var(--bad); font-weight: 600; margin: 6px 0; }
.note { color: var(--wait); margin: 6px 0; }
.diff td.before { background: var(--bad-bg); }
.diff td.after { background: var(--ok-bg); }
.diff td.op { white-space: nowrap; }
#filter { width: 100%; padding: 6px 10px; margin: 8px 0 12px; font: inherit; }
"""

_PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="$policy">
<meta name="generator" content="ghstore site">
<title>$title</title>
<style>$style</style>
</head>
<body>
$body
$script</body>
</html>
"""
)


def page(title: str, body: str, script: str = "") -> str:
    """A whole page: `title` is text (escaped here), `body` markup, `script` the page's own
    JavaScript (trusted: ours, never data) or none."""
    sources = "'none'"
    script_tag = ""
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        sources = f"'sha256-{digest}'"
        script_tag = f"<script>{script}</script>\n"
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src {sources}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _PAGE.substitute(
        policy=policy, title=text(title), style=_STYLE, body=body, script=script_tag
    )

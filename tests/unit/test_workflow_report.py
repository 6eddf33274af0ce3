"""What `process-updates` writes inside GitHub Actions, rendered without running anything:
annotations escaped for the workflow-command syntax and a step summary whose table survives
odd reasons and ids."""

from __future__ import annotations

from ghstore.cli.workflow_report import RunSummary, annotation
from ghstore.processor import ProcessReport, Rejection


def test_annotations_escape_what_would_end_or_split_the_command() -> None:
    line = annotation("warning", "50% done\nnext line", title="a: b, c")
    assert line == "::warning title=a%3A b%2C c::50%25 done%0Anext line"


def test_the_summary_keeps_a_reason_with_a_pipe_inside_its_table_cell() -> None:
    report = ProcessReport(
        issue_number=7,
        object_id="odd`id",
        rejected=[Rejection(comment_id=3, author=None, reason="a | b\nc")],
    )
    text = RunSummary("o/r", [report], requests=2, points=2).markdown()
    assert "| `ghost` | `a \\| b c` |" in text
    assert "``odd`id``" in text


def test_outsider_text_in_the_summary_is_shown_as_data_not_markdown_or_html() -> None:
    reason = "not valid JSON: the key '<img src=x onerror=alert(1)> [x](javascript:1) @acme' twice"
    report = ProcessReport(issue_number=7, object_id="obj", rejected=[Rejection(3, "eve", reason)])
    text = RunSummary("o/r", [report]).markdown()
    (row,) = [line for line in text.splitlines() if line.startswith("| #7 | `obj` | 3 ")]
    assert row.endswith(f"| `eve` | `{reason}` |")


def test_a_capped_run_is_noted_and_annotated() -> None:
    report = ProcessReport(issue_number=7, object_id="obj", unfinished="comments kept arriving")
    summary = RunSummary("o/r", [report])
    assert "comments kept arriving |" in summary.markdown()
    assert summary.annotations() == [
        "::warning title=ghstore%3A run capped::issue #7 (obj): comments kept arriving"
    ]

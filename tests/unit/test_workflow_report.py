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
    assert "| ghost | a \\| b c |" in text
    assert "``odd`id``" in text

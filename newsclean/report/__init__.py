"""What a run did, for people: the Prefect artifacts (`summary`: markdown and a table of
counts) and the self-contained HTML report of `newsclean report` (`data` counts what it
shows from the run's persisted output, `render` writes the page).
"""

from newsclean.report.data import (
    EXAMPLE_CHARS,
    EXAMPLES_PER_REASON,
    MAX_SITES,
    Change,
    Example,
    ReportData,
    Tail,
    collect,
    offtopic_rule,
    offtopic_tails,
    previous_manifest,
    ParagraphTally,
    run_changes,
    site_of_document,
)
from newsclean.report.render import MAX_REJECT_ROWS, SCORE_BINS, render_html
from newsclean.report.summary import counts_table, markdown_summary

__all__ = [
    "EXAMPLES_PER_REASON",
    "EXAMPLE_CHARS",
    "MAX_REJECT_ROWS",
    "MAX_SITES",
    "SCORE_BINS",
    "Change",
    "Example",
    "ParagraphTally",
    "ReportData",
    "Tail",
    "collect",
    "counts_table",
    "markdown_summary",
    "offtopic_rule",
    "offtopic_tails",
    "previous_manifest",
    "render_html",
    "run_changes",
    "site_of_document",
]

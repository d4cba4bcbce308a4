"""Small accessibility repairs of rendered HTML (axe-core, issue 6)."""

from __future__ import annotations

import re

# pymdownx.tasklist (custom_checkbox) wraps a bare checkbox in an empty
# <label>: screen readers get a checkbox with no name (axe-core "label",
# critical). Name it by its state; the item's text follows it.
_TASK_BOX = re.compile(r'(<label class="task-list-control">)<input (?![^>]*aria-label)([^>]*)>')


def name_task_checkboxes(html: str) -> str:
    def repl(match: re.Match) -> str:
        attrs = match.group(2)
        name = "Đã làm" if re.search(r"\bchecked\b", attrs) else "Việc cần làm"
        return f'{match.group(1)}<input aria-label="{name}" {attrs}>'

    return _TASK_BOX.sub(repl, html)

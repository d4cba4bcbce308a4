"""Asking Material's own search worker (with our lunr.vi) in Chromium, and the
question set of tests/search_questions.yml; shared by the tests and the
figures of design/search.md (``python tests/search_support.py SITE_DIR``)."""

from __future__ import annotations

from pathlib import Path

import yaml

QUESTIONS_FILE = Path(__file__).with_name("search_questions.yml")
EDITOR_PAGES = "/bien-tap/"
PHONE = {"width": 360, "height": 740}

# Material's own search worker, with our lunr.vi, in Chromium: the messages
# Material's page sends it (setup with the index, then each query as typed),
# without the page's typing delays.
ASK_WORKER = """async ({ worker, index, questions }) => {
  const data = await (await fetch(index)).json();
  const search = new Worker(worker);
  const reply = () => new Promise(resolve => search.addEventListener("message", e => resolve(e.data), { once: true }));
  search.postMessage({ type: 0, data: { ...data, options: { suggest: false } } });
  await reply();
  const answers = [];
  for (const question of questions) {
    search.postMessage({ type: 2, data: question });
    const { data: result } = await reply();
    answers.push(result.items.map(group => "/" + group[0].location.split("#")[0]));
  }
  search.terminate();
  return answers;
}"""


def questions() -> list[dict]:
    return yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))


def ask_worker(browser, served: str, site: Path, queries: list[str], viewport: dict | None = None) -> dict[str, list[str]]:
    """Result pages of each query, best first, from Material's search worker.
    ``browser``: Chromium (a tab of its own) or a reused tab (conftest.Tab)."""
    # A page of the site without our page script (it holds the search
    # worker back until the reader opens search).
    start = served + "search/search_index.json"
    reused = hasattr(browser, "open")
    page = browser.open(start, viewport=viewport or PHONE) if reused else browser.new_page(viewport=viewport or PHONE)
    try:
        if not reused:
            page.goto(start)
        worker = next((site / "assets/javascripts/workers").glob("search.*.min.js")).relative_to(site).as_posix()
        found = page.evaluate(
            ASK_WORKER, {"worker": served + worker, "index": served + "search/search_index.json", "questions": queries}
        )
    finally:
        if not reused:
            page.close()
    return dict(zip(queries, found))


def rank_of(found: list[str], answers: list[str]) -> int | None:
    """1-based place of the first answering page in ``found``."""
    for place, path in enumerate(found, 1):
        if path in answers:
            return place
    return None


def figures(entries: list[dict], answers: dict[str, list[str]]) -> dict:
    answerable = [e for e in entries if "answers" in e]
    # One rank per question (two writers may type the same words).
    ranks = [(e["query"], rank_of(answers[e["query"]], e["answers"])) for e in answerable]
    editors = [e["query"] for e in entries if any(p.startswith(EDITOR_PAGES) for p in answers[e["query"]][:3])]
    return {
        "questions": len(entries),
        "answerable": len(answerable),
        "first": sum(r == 1 for _, r in ranks),
        "top3": sum(r is not None and r <= 3 for _, r in ranks),
        "editor_in_top3": len(editors),
        "ranks": ranks,
        "editor_queries": editors,
    }


def report(entries: list[dict], answers: dict[str, list[str]]) -> str:
    lines = []
    for e in entries:
        found = answers[e["query"]][:3]
        if "answers" in e:
            r = rank_of(answers[e["query"]], e["answers"])
            mark = f"{r if r else '-':>3}"
        else:
            mark = " na"
        lines.append(f"{mark}  {e['writer']:<20} {e['query'][:55]:<55} {' '.join(found)}")
    return "\n".join(lines)


if __name__ == "__main__":  # figures for design/search.md: python tests/search_support.py SITE_DIR
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1])
    entries = questions()
    server, url = serve_folder(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            answers = ask_worker(browser, url, site, [e["query"] for e in entries])
            browser.close()
    finally:
        server.shutdown()
    print(report(entries, answers))
    f = figures(entries, answers)
    print(f"answerable {f['answerable']} of {f['questions']}: first {f['first']}, top 3 {f['top3']}; "
          f"questions with an editor page in the top 3: {f['editor_in_top3']}")

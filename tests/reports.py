"""Helpers for tests of answers: write dated reports as files, index them, read an answer's
points."""

import re
from pathlib import Path

POINT = re.compile(r"^(?:(\d{1,2} \w{3} \d{4}): )?(.+?) ((?:\[\d+\])+)$")


def points(answer) -> list[tuple[str | None, str, list[int]]]:
    """(date shown, sentence, citation numbers) for each line of an answer."""
    found = []
    for line in answer.text.splitlines():
        match = POINT.match(line)
        assert match, f"not a cited point: {line!r}"
        numbers = [int(n) for n in re.findall(r"\d+", match.group(3))]
        found.append((match.group(1), match.group(2), numbers))
    return found


def write_report(folder: Path, name: str, outlet: str, published: str, url: str, text: str):
    title = text.split(".")[0][:80]
    front = f"---\ntitle: {title}\noutlet: {outlet}\npublished: {published}\nurl: {url}\n---\n"
    (folder / f"{name}.md").write_text(f"{front}\n{text}\n")


def indexed_reports(root: Path, reports: list[tuple[str, str]], outlet: str = "Sky Sports"):
    """An engine over `reports` ((published, text) pairs) written as files under `root`, each
    with its own URL, indexed from scratch. The caller closes it."""
    from bot.commands import Engine
    from bot.config import load_settings

    folder = root / "news"
    folder.mkdir()
    for number, (published, text) in enumerate(reports):
        url = f"https://news.example/r{number}"
        write_report(folder, f"r{number}", outlet, published, url, text)
    engine = Engine(load_settings(data_dir=str(root / "data")))
    engine.add_source(str(folder))
    engine.reindex()
    return engine

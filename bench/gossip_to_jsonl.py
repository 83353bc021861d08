"""Convert the BBC gossip-column CSV (transfer_news_data.csv) to TransferDesk's JSONL import.

One JSON object per line: {"url", "title", "text", "published", "outlet"}.

    python bench/gossip_to_jsonl.py [CSV] > gossip.jsonl

Several items share one source_url, so each item's url gets a "#gossip-<id>" fragment that keeps
it its own article (the evaluation set in bench/eval/ uses these urls as ids).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

DEFAULT_CSV = (
    Path(__file__).resolve().parents[2] / "shared/corpora/bbc-gossip-2021/transfer_news_data.csv"
)
TITLE_CHARS = 90

# Host (without "www.") -> outlet name, for the outlets the column links to most often.
OUTLETS: dict[str, str] = {
    "dailymail.co.uk": "Daily Mail",
    "thesun.co.uk": "The Sun",
    "the-sun.com": "The Sun",
    "thescottishsun.co.uk": "The Scottish Sun",
    "mirror.co.uk": "Mirror",
    "telegraph.co.uk": "Telegraph",
    "theathletic.com": "The Athletic",
    "theathletic.co.uk": "The Athletic",
    "marca.com": "Marca",
    "skysports.com": "Sky Sports",
    "footballinsider247.com": "Football Insider",
    "goal.com": "Goal",
    "express.co.uk": "Express",
    "dailystar.co.uk": "Daily Star",
    "calciomercato.com": "Calciomercato",
    "calciomercato.it": "Calciomercato.it",
    "90min.com": "90min",
    "twitter.com": "Twitter",
    "publish.twitter.com": "Twitter",
    "sport.es": "Sport",
    "manchestereveningnews.co.uk": "Manchester Evening News",
    "mundodeportivo.com": "Mundo Deportivo",
    "thetimes.co.uk": "The Times",
    "as.com": "AS",
    "en.as.com": "AS",
    "metro.co.uk": "Metro",
    "espn.co.uk": "ESPN",
    "espn.com": "ESPN",
    "teamtalk.com": "Team Talk",
    "football.london": "Football London",
    "talksport.com": "talkSPORT",
    "standard.co.uk": "Evening Standard",
    "theguardian.com": "The Guardian",
    "liverpoolecho.co.uk": "Liverpool Echo",
    "fichajes.net": "Fichajes",
    "gazzetta.it": "La Gazzetta dello Sport",
    "elnacional.cat": "El Nacional",
    "football-italia.net": "Football Italia",
    "tuttosport.com": "Tuttosport",
    "sportwitness.co.uk": "Sport Witness",
    "independent.co.uk": "The Independent",
    "lequipe.fr": "L'Equipe",
    "eurosport.co.uk": "Eurosport",
    "eurosport.com": "Eurosport",
    "corrieredellosport.it": "Corriere dello Sport",
    "chroniclelive.co.uk": "Chronicle Live",
    "footmercato.net": "Foot Mercato",
    "birminghammail.co.uk": "Birmingham Mail",
    "le10sport.com": "Le 10 Sport",
    "leicestermercury.co.uk": "Leicester Mercury",
    "tuttomercatoweb.com": "Tuttomercatoweb",
    "sport.sky.it": "Sky Sport Italia",
    "sport.sky.de": "Sky Sport Germany",
    "bild.de": "Bild",
    "sportbild.bild.de": "Sport Bild",
    "expressandstar.com": "Express & Star",
    "leparisien.fr": "Le Parisien",
    "todofichajes.com": "Todofichajes",
    "caughtoffside.com": "CaughtOffside",
    "fourfourtwo.com": "FourFourTwo",
    "sport1.de": "Sport1",
    "dailyrecord.co.uk": "Daily Record",
    "rmcsport.bfmtv.com": "RMC Sport",
    "gianlucadimarzio.com": "Gianluca Di Marzio",
    "kicker.de": "Kicker",
    "inews.co.uk": "i",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
}

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”]?\s+(?=[A-Z\"'‘“])")


class Record(TypedDict):
    url: str
    title: str
    text: str
    published: str
    outlet: str


def outlet_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return OUTLETS.get(host, host)


def iso_date(column_date: str) -> str:
    """'1 February 2021' -> '2021-02-01'."""
    return datetime.strptime(column_date.strip(), "%d %B %Y").date().isoformat()


def title_from(text: str) -> str:
    """The first sentence, cut at a word boundary near TITLE_CHARS characters."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if len(first) <= TITLE_CHARS:
        return first
    return first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def convert(row: dict[str, str]) -> Record:
    text = row["raw_text"].strip()
    return {
        "url": f"{row['source_url'].strip()}#gossip-{row['id'].strip()}",
        "title": title_from(" ".join(text.split())),
        "text": text,
        "published": iso_date(row["date"]),
        "outlet": outlet_name(row["source_url"]),
    }


def records(csv_path: Path) -> Iterator[Record]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield convert(row)


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print("usage: python bench/gossip_to_jsonl.py [CSV] > out.jsonl", file=sys.stderr)
        return 2
    csv_path = Path(argv[1]) if len(argv) == 2 else DEFAULT_CSV
    try:
        for record in records(csv_path):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        print(f"error: cannot read {csv_path}: {error.strerror}", file=sys.stderr)
        return 1
    except (KeyError, ValueError) as error:
        print(f"error: {csv_path} is not in the expected format: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

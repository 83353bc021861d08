"""Answers always fit Discord's limits, and article text can neither break an embed nor ping."""

from datetime import date

from bot.answer import Answer, Citation
from bot.discord_app.render import (
    EMBED_DESCRIPTION,
    EMBED_TOTAL,
    answer_embed,
    citation_line,
    rumours_pages,
    safe,
)
from bot.reports import Report
from bot.transfer_status import Reading, Status

RUMOUR = Reading(Status.RUMOUR, None)


def citation(n: int, title: str = "Allegri weighs exit", url: str | None = "https://x.example/a"):
    return Citation(n, title, url, "Calcio Times", date(2026, 3, 2), "quote")


def test_a_6000_character_answer_is_trimmed_to_fit_with_its_sources():
    long_text = " ".join(f"Sentence {i} about Allegri and Milan. [1]" for i in range(200))
    assert len(long_text) > 6000
    embed = answer_embed(
        Answer("Is Allegri leaving?", long_text, False, (citation(1), citation(2)))
    )
    assert len(embed.description) <= EMBED_DESCRIPTION
    assert len(embed) <= EMBED_TOTAL
    assert "**Sources**\n**[1]**" in embed.description
    assert embed.description.split("\n\n**Sources**")[0].endswith("…")


def test_many_long_citations_leave_room_for_the_answer():
    citations = tuple(citation(n, "Very long headline " * 12) for n in range(1, 40))
    embed = answer_embed(Answer("Q?", "The answer. [1]", False, citations))
    assert embed.description.startswith("The answer. [1]")
    assert len(embed) <= EMBED_TOTAL


def test_mentions_in_article_text_cannot_ping():
    user, role = "<@123456789012345678>", "<@&223456789012345678>"
    text = f"Fans shouted @everyone and @here at {user} and {role}. [1]"
    embed = answer_embed(Answer("Q?", text, False, (citation(1),)))
    for ping in ("@everyone", "@here", user, role):
        assert ping not in embed.description


def test_markdown_in_article_text_is_shown_as_text():
    assert safe("**bold** _it_ `code` [x](https://evil.example)") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\[x]\u200b(https://evil.example)"
    )


def test_titles_cannot_break_their_masked_link():
    line = citation_line(citation(1, "Done deal](https://evil.example) [", "https://x.example/a b"))
    assert line.startswith("**[1]** [Done deal)(https://evil.example) (](https://x.example/a%20b)")


def test_local_files_are_named_but_not_linked():
    line = citation_line(citation(1, "From disk", "file:///srv/news/a.txt"))
    assert line == "**[1]** From disk — Calcio Times, 2026-03-02"


def test_rumours_are_paged_five_to_an_embed():
    items = [
        Report(i, f"Story {i}", None, "Outlet", date(2026, 1, i), "Lead.", 2, RUMOUR)
        for i in range(1, 13)
    ]
    pages = rumours_pages(items, None)
    assert [len(p.fields) for p in pages] == [5, 5, 2]
    assert pages[2].footer.text == "Page 3 of 3 · newest first"

"""The names the news prints are counted under their initials as each chunk is stored, so a
fan's "CCV" is read as "Cameron Carter-Vickers" without rereading the news at question time."""

from pathlib import Path

from old_stores import store_from_before

from bot.initials import name_with_initials
from index.models import Article
from index.names import initials, printed_names
from index.store import ArticleWrite, Store


def test_initials_are_read_from_every_word_and_every_part_of_a_double_barrelled_one():
    assert initials("Cameron Carter-Vickers") == "ccv"
    assert initials("Robin van Persie") == "rvp"
    assert initials("Kevin De Bruyne") == "kdb"


def test_runs_of_capitalised_words_are_counted_under_their_initials_of_three_or_four_letters():
    names = printed_names("Cameron Carter-Vickers met Robin van Persie's brother.")
    assert names["ccv", "Cameron Carter-Vickers"] == 1
    assert names["rvp", "Robin van Persie"] == 1
    assert ("cc", "Cameron Carter") not in names, "two letters are too few to go on"


def test_the_name_printed_with_the_initials_is_the_one_far_more_common_than_any_other():
    assert name_with_initials({"Cameron Carter-Vickers": 2}) == "Cameron Carter-Vickers"
    assert name_with_initials({}) is None
    rivals = {"Cameron Carter-Vickers": 2, "Chris Coleman Vale": 2}
    assert name_with_initials(rivals) is None, "two names as common: no telling which"
    assert name_with_initials({"Cameron Carter-Vickers": 1}) is None, "printed once is too few"
    spellings = {"Aaron Wan-Bissaka": 3, "Aaron Wan Bissaka": 1}
    assert name_with_initials(spellings) == "Aaron Wan-Bissaka", "one name, two spellings"


def article(key: str, text: str) -> Article:
    return Article(key=key, title=key, text=text)


def test_the_store_counts_the_names_of_the_chunks_it_holds_and_forgets_those_it_drops(
    tmp_path: Path,
):
    store = Store(tmp_path / "news.db")
    source = store.add_source("dir", "/news", "news")
    chunks = ["Celtic sign Cameron Carter-Vickers.", "Cameron Carter-Vickers is fit."]
    store.write_articles(source.id, [ArticleWrite(article("a", "..."), None, chunks)])
    store.write_articles(source.id, [ArticleWrite(article("b", "..."), None, chunks[:1])])
    assert store.names_with_initials("ccv") == {"Cameron Carter-Vickers": 3}

    ids = {key: state.article_id for key, state in store.article_states().items()}
    rewritten = ArticleWrite(article("b", "!!!"), ids["b"], ["Chris Coleman Vale signs."])
    store.write_articles(source.id, [rewritten])
    assert store.names_with_initials("ccv") == {
        "Cameron Carter-Vickers": 2,
        "Chris Coleman Vale": 1,
    }
    store.delete_articles([ids["a"]])
    assert store.names_with_initials("ccv") == {"Chris Coleman Vale": 1}
    store.replace_chunks([(ids["b"], ["Fit again: Cameron Carter-Vickers."])])
    assert store.names_with_initials("ccv") == {"Cameron Carter-Vickers": 1}
    store.close()


def test_a_store_from_before_names_were_counted_counts_them_on_upgrade(tmp_path: Path):
    path = tmp_path / "old.db"
    store_from_before(path, 3, "Old story", "Patrick van Aanholt moves.")
    store = Store(path)
    assert store.names_with_initials("pva") == {"Patrick van Aanholt": 1}
    store.close()

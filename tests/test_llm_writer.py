"""The optional LLM writer, against a real chat endpoint on 127.0.0.1 giving scripted replies."""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import replace
from datetime import date

import pytest
from fake_chat_endpoint import FakeChatEndpoint, ScriptedReply

from bot.llm_writer import (
    MAX_RESPONSE_BYTES,
    LLMWriter,
    NumberedPassage,
    WriterSettings,
    WrittenAnswer,
    check_citations,
    format_passage,
)

KEY_ENV = "TRANSFERDESK_TEST_LLM_KEY"
KEY = "sk-test-0123456789"

PASSAGES = (
    NumberedPassage(
        1,
        "Bayern agree deal for Stuttgart forward",
        "BBC Sport",
        date(2026, 3, 6),
        "Bayern Munich have agreed a deal with VfB Stuttgart for their German forward, "
        "with the fee reported to be 55 million euros.",
    ),
    NumberedPassage(
        2,
        "Forward to have Bayern medical",
        "Kicker",
        date(2026, 3, 8),
        "The forward will undergo a medical in Munich later this week.",
    ),
)
QUESTION = "Has Bayern signed the Stuttgart forward?"


@pytest.fixture(scope="module")
def endpoint_server():
    server = FakeChatEndpoint()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(endpoint_server: FakeChatEndpoint) -> FakeChatEndpoint:
    endpoint_server.reset()
    return endpoint_server


@pytest.fixture
def settings(endpoint: FakeChatEndpoint, monkeypatch: pytest.MonkeyPatch) -> WriterSettings:
    monkeypatch.delenv(KEY_ENV, raising=False)
    return WriterSettings(
        base_url=endpoint.base_url, model="fake-chat-1", api_key_env=KEY_ENV, timeout_seconds=2
    )


def write(settings: WriterSettings) -> WrittenAnswer | None:
    return LLMWriter(settings).write(QUESTION, PASSAGES)


# What is kept


def test_writes_the_answer_from_the_passages_with_its_citations(endpoint, settings):
    endpoint.script(
        ScriptedReply(
            "On 8 Mar 2026 Kicker reported the forward will have a medical in Munich [2].\n"
            "On 6 Mar 2026 Bayern agreed a 55 million euro deal with Stuttgart [1][2]."
        )
    )

    answer = write(settings)

    assert answer == WrittenAnswer(
        text="On 8 Mar 2026 Kicker reported the forward will have a medical in Munich [2].\n"
        "On 6 Mar 2026 Bayern agreed a 55 million euro deal with Stuttgart [1][2].",
        cited=(2, 1),
        dropped_sentences=0,
    )


def test_sentences_citing_a_passage_not_given_are_dropped(endpoint, settings):
    endpoint.script(
        ScriptedReply(
            "Bayern agreed a deal with Stuttgart [1]. The fee was 55 million euros [1][3]. "
            "He scored twice on his debut [7]."
        )
    )

    answer = write(settings)

    assert answer.text == "Bayern agreed a deal with Stuttgart [1]."
    assert answer.cited == (1,)
    assert answer.dropped_sentences == 2


def test_uncited_sentences_are_dropped(endpoint, settings):
    endpoint.script(
        ScriptedReply(
            "Bayern are the biggest club in Germany. They agreed a deal for the forward [1]. "
            "A medical follows this week [2]. Fans will be delighted."
        )
    )

    answer = write(settings)

    assert answer.text == "They agreed a deal for the forward [1]. A medical follows this week [2]."
    assert answer.dropped_sentences == 2


def test_when_no_sentence_is_rightly_cited_there_is_no_answer(endpoint, settings, caplog):
    endpoint.script(ScriptedReply("Bayern signed him [3]. It is a great deal."))

    assert write(settings) is None
    assert "none of its 2 sentences cited a passage it was given" in caplog.text


# How citations are read


def test_citations_after_the_full_stop_belong_to_the_sentence_before():
    answer = check_citations("Bayern agreed a deal.[1] The medical is this week. [2]", {1, 2})

    assert answer.text == "Bayern agreed a deal. [1] The medical is this week. [2]"
    assert answer.dropped_sentences == 0


def test_a_citation_standing_alone_on_its_line_is_not_an_answer():
    answer = check_citations("Bayern agreed a deal\n[1]", {1})

    assert answer.text == ""
    assert answer.dropped_sentences == 2


def test_comma_separated_citations_are_checked_each_and_written_one_bracket_each():
    assert check_citations("Bayern agreed a deal [1, 2].", {1, 2}).text == (
        "Bayern agreed a deal [1][2]."
    )
    assert check_citations("Bayern agreed a deal [1, 4].", {1, 2}).text == ""


def test_list_markers_and_thinking_aloud_are_not_part_of_the_answer():
    content = (
        "<think>Passage [1] says there is a deal. I should cite it.</think>\n"
        "- Bayern agreed a deal [1].\n"
        "2. A medical follows [2]."
    )

    answer = check_citations(content, {1, 2})

    assert answer.text == "Bayern agreed a deal [1].\nA medical follows [2]."
    assert answer.dropped_sentences == 0


# Failures fall back (the writer returns None and says why)


def test_an_http_error_means_no_answer(endpoint, settings, caplog):
    endpoint.script(ScriptedReply(status=500, body=b'{"error": {"message": "model crashed"}}'))

    assert write(settings) is None
    assert "answered HTTP 500: model crashed" in caplog.text


def test_malformed_json_means_no_answer(endpoint, settings, caplog):
    endpoint.script(ScriptedReply(body=b'{"choices": [{"message": {"content": "Bayern [1]'))

    assert write(settings) is None
    assert "not JSON" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"choices": []}',
        b'{"error": "overloaded"}',
        b'{"choices": [{"message": {"content": null}}]}',
        b'{"choices": [{"message": {"content": "  \\n "}}]}',
    ],
)
def test_a_reply_without_content_means_no_answer(endpoint, settings, body):
    endpoint.script(ScriptedReply(body=body))

    assert write(settings) is None


def test_a_slow_endpoint_means_no_answer_once_the_timeout_passes(endpoint, settings, caplog):
    endpoint.script(ScriptedReply("Bayern agreed a deal [1].", delay_seconds=1.0))

    started = time.monotonic()
    assert write(replace(settings, timeout_seconds=0.3)) is None
    assert time.monotonic() - started < 0.9
    assert "did not answer within 0.3 s" in caplog.text


def test_a_reply_trickling_in_past_the_timeout_means_no_answer(endpoint, settings, caplog):
    endpoint.script(ScriptedReply("Bayern agreed a deal [1]." * 10, pieces=6, trickle_seconds=0.1))

    assert write(replace(settings, timeout_seconds=0.3)) is None
    assert "took longer than the timeout" in caplog.text


def test_an_oversized_reply_is_refused(endpoint, settings, caplog):
    endpoint.script(ScriptedReply(body=b"x" * (2 * MAX_RESPONSE_BYTES), pieces=20))

    assert write(settings) is None
    assert "over the limit" in caplog.text or f"over {MAX_RESPONSE_BYTES} bytes" in caplog.text


def test_an_unreachable_endpoint_means_no_answer(settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    assert write(replace(settings, base_url=f"http://127.0.0.1:{closed_port}/v1")) is None
    assert "could not reach" in caplog.text


def test_a_redirect_is_not_followed_so_the_key_stays_put(endpoint, settings, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    endpoint.script(ScriptedReply(status=307, headers={"Location": "/v1/elsewhere"}))

    assert write(settings) is None
    assert [r.path for r in endpoint.requests] == ["/v1/chat/completions"]


def test_the_key_never_reaches_the_log(endpoint, settings, monkeypatch, caplog):
    monkeypatch.setenv(KEY_ENV, KEY)
    endpoint.script(
        ScriptedReply(
            status=401, body=b'{"error": {"message": "Incorrect API key: %s"}}' % KEY.encode()
        )
    )

    with caplog.at_level(logging.DEBUG):
        assert write(settings) is None

    assert "answered HTTP 401: Incorrect API key: ***" in caplog.text
    assert KEY not in caplog.text


# What is sent


def test_the_request_names_the_model_and_carries_the_question_and_numbered_passages(
    endpoint, settings
):
    endpoint.script(ScriptedReply("Bayern agreed a deal [1]."))

    write(replace(settings, max_tokens=123))

    [request] = endpoint.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.json["model"] == "fake-chat-1"
    assert request.json["max_tokens"] == 123
    assert request.json["temperature"] == 0.0
    system, user = request.json["messages"]
    assert system["role"] == "system"
    assert "[2] or [1][3]" in system["content"]  # how to cite, by example
    assert user["role"] == "user"
    assert QUESTION in user["content"]
    assert (
        "[1] Bayern agree deal for Stuttgart forward — BBC Sport, 6 Mar 2026\n"
        "Bayern Munich have agreed a deal with VfB Stuttgart" in user["content"]
    )
    assert "[2] Forward to have Bayern medical — Kicker, 8 Mar 2026\n" in user["content"]


def test_the_key_is_read_from_the_environment_when_writing_and_sent_as_a_bearer_token(
    endpoint, settings, monkeypatch
):
    writer = LLMWriter(settings)
    monkeypatch.setenv(KEY_ENV, KEY)
    endpoint.script(ScriptedReply("Bayern agreed a deal [1]."))

    writer.write(QUESTION, PASSAGES)

    assert endpoint.requests[0].headers["Authorization"] == f"Bearer {KEY}"


def test_without_a_key_in_the_environment_no_authorization_header_is_sent(endpoint, settings):
    endpoint.script(ScriptedReply("Bayern agreed a deal [1]."))

    assert write(settings) is not None
    assert "Authorization" not in endpoint.requests[0].headers


def test_a_passage_without_outlet_or_date_says_the_date_is_unknown():
    passage = NumberedPassage(3, "Forward spotted in Munich", None, None, "  He was seen.  ")

    assert format_passage(passage) == "[3] Forward spotted in Munich — date unknown\nHe was seen."


# Off by default


def test_the_writer_is_off_without_a_base_url():
    assert WriterSettings().enabled is False
    assert WriterSettings(base_url="  ").enabled is False
    assert WriterSettings(base_url="http://127.0.0.1:8000/v1", model="m").enabled is True


class TestTheEngineWithAWriter:
    """`ask` with [llm] configured: the LLM words the answer, the extractive one stands in."""

    @pytest.fixture
    def engine(self, data_dir, settings: WriterSettings):
        from bot.commands import Engine
        from bot.config import load_settings

        opened = Engine(replace(load_settings(data_dir=str(data_dir)), llm=settings))
        yield opened
        opened.close()

    def test_the_llm_words_the_answer_and_only_cited_reports_stay(self, engine, endpoint):
        endpoint.script(
            ScriptedReply(
                "Allegri is expected to leave Milan this summer [1]. Juventus want him [7]."
            )
        )
        answer = engine.ask("Is Allegri leaving Milan?")
        assert answer.text == "Allegri is expected to leave Milan this summer [1]."
        assert [c.n for c in answer.citations] == [1]
        [request] = endpoint.requests
        prompt = request.json["messages"][-1]["content"]
        assert "[1] Allegri weighs Milan exit after difficult spring" in prompt

    def test_a_failing_llm_leaves_the_extractive_answer(self, engine, endpoint):
        endpoint.script(ScriptedReply(status=500))
        answer = engine.ask("Is Allegri leaving Milan?")
        assert not answer.abstained and "[1]" in answer.text
        assert answer.text.startswith("2 Mar 2026: "), "the extractive, dated answer"

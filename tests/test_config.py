import tomllib
from pathlib import Path

import pytest

from bot.config import Settings, load_settings, settings_as_dict
from index.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_the_example_config_lists_every_key_with_its_default():
    example = tomllib.loads((REPO / "config.example.toml").read_text())
    defaults = settings_as_dict(Settings())
    example_sections = {name: section for name, section in example.items() if name != "sources"}
    assert example_sections == defaults


def test_the_example_config_points_at_the_bundled_samples():
    settings = load_settings(str(REPO / "config.example.toml"))
    [samples] = settings.declared_sources
    assert samples.kind == "dir"
    assert Path(samples.location) == REPO / "samples"


def test_no_config_means_defaults_and_a_data_folder_in_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("TRANSFERDESK_CONFIG", raising=False)
    monkeypatch.delenv("TRANSFERDESK_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.embedding.model == "all-MiniLM-L6-v2"
    assert settings.data_dir == tmp_path / "data"


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    path = write_config(
        tmp_path, '[data]\ndir = "store"\n[[sources]]\nkind = "dir"\npath = "news"\n'
    )
    settings = load_settings(str(path))
    assert settings.data_dir == tmp_path / "store"
    assert settings.declared_sources[0].location == str(tmp_path / "news")


def test_the_config_file_can_come_from_the_environment(monkeypatch, tmp_path):
    path = write_config(tmp_path, "[retrieval]\ntop_k = 3\n")
    monkeypatch.setenv("TRANSFERDESK_CONFIG", str(path))
    assert load_settings().retrieval.top_k == 3


def test_data_dir_option_overrides_the_config(tmp_path):
    path = write_config(tmp_path, '[data]\ndir = "store"\n')
    assert load_settings(str(path), data_dir=str(tmp_path / "other")).data_dir == tmp_path / "other"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[embedding]\nmodle = 'x'\n", "unknown key 'embedding.modle'"),
        ("[embeddings]\nmodel = 'x'\n", "unknown section [embeddings]"),
        (
            "[embedding]\nbatch_size = 'big'\n",
            "'embedding.batch_size' must be an integer, got 'big'",
        ),
        ("[embedding]\nbatch_size = 0\n", "'embedding.batch_size' must be at least 1"),
        ("[fetch]\ntimeout_seconds = 0\n", "'fetch.timeout_seconds' must be greater than 0"),
        ("[fetch]\nallowed_networks = ['lan']\n", "'fetch.allowed_networks' has 'lan'"),
        ("[fetch]\nallowed_networks = '127.0.0.1'\n", "must be a list of text values"),
        ("[answer]\nmin_score = 'high'\n", "'answer.min_score' must be a number"),
        ("[chunking]\noverlap = -5\n", "'chunking.overlap' must not be negative"),
        ("[embedding]\nmodel = ''\n", "'embedding.model' must not be empty"),
        ("[[sources]]\nkind = 'ftp'\npath = 'x'\n", "'sources[1].kind' must be one of"),
        ("[[sources]]\nkind = 'dir'\n", "'sources[1].path' is required"),
        ("[retrieval]\nfusion = 'votes'\n", "'retrieval.fusion' must be one of ranks, scores"),
        ("[data\n", "not valid TOML"),
    ],
)
def test_a_bad_value_gets_a_one_line_error_naming_the_key(tmp_path, text, message):
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_settings(str(path))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="config file not found: .*nope.toml"):
        load_settings(str(tmp_path / "nope.toml"))


def test_integers_are_accepted_where_numbers_are_expected(tmp_path):
    path = write_config(tmp_path, "[answer]\nmin_score = 1\n")
    assert load_settings(str(path)).answer.min_score == 1.0

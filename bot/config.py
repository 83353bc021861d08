"""Settings: one dataclass tree built from TOML plus environment overrides; defaults live here.

`config.example.toml` lists every key with its default (a test keeps the two in step).
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from bot.llm_writer import WriterSettings
from index.aliases import SHIPPED_PEOPLE, SHIPPED_TABLE
from index.errors import ConfigError
from index.fetch import FetchSettings
from index.library import DeclaredSource, IndexSettings
from index.outlets import SHIPPED_TIERS
from index.search import FUSIONS, MODES, RetrievalOptions
from index.sources import KINDS

CONFIG_ENV = "TRANSFERDESK_CONFIG"
DATA_DIR_ENV = "TRANSFERDESK_DATA_DIR"


@dataclass(frozen=True)
class DataSettings:
    dir: str = "./data"  # relative paths are relative to the config file's folder


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str = "all-MiniLM-L6-v2"  # a packaged model name, or a local model folder
    batch_size: int = 32
    device: str = "cpu"
    light_queries: bool = True  # questions through the NumPy encoder until PyTorch is loaded


@dataclass(frozen=True)
class ChunkingSettings:
    size: int = 120  # words per chunk
    overlap: int = 30  # words shared by consecutive chunks


@dataclass(frozen=True)
class RetrievalSettings:
    top_k: int = 8  # passages retrieved per question
    mode: str = "hybrid"  # dense (FAISS), lexical (BM25) or hybrid (both, fused)
    fusion: str = "scores"  # hybrid: normalised scores summed, or "ranks" (reciprocal rank)
    dense_weight: float = 1.0
    lexical_weight: float = 0.7
    rrf_k: int = 60
    name_weight: float = 1.0  # hybrid: bonus of passages naming whom the question names
    candidates: int = 50  # passages each retriever offers before fusing
    recency_half_life_days: float = 30.0  # answers favour newer reports; 0 = off
    recency_weight: float = 1.0  # hybrid, questions about now: bonus of the newest report
    aliases_file: str = ""  # club names and nicknames; empty: the table shipped in index/data
    people_file: str = ""  # people's nicknames ("Fergie"); empty: the table in index/data

    @property
    def options(self) -> RetrievalOptions:
        return RetrievalOptions(
            self.mode,
            self.dense_weight,
            self.lexical_weight,
            self.rrf_k,
            self.candidates,
            self.recency_half_life_days,
            self.recency_weight,
            self.fusion,
            self.name_weight,
        )


@dataclass(frozen=True)
class VectorSettings:
    approximate_above: int = 100_000  # chunks; above, an IVF index replaces the exact one
    nprobe: int = 0  # IVF lists searched per question; 0 = tuned for recall@10 >= 0.95


@dataclass(frozen=True)
class AnswerSettings:
    max_sentences: int = 4
    min_score: float = 0.45  # below this relevance, say that nothing was found
    read_score: float = 0.35  # once answered, reports this relevant are read too
    named_min_score: float = 0.30  # min_score of questions naming people, for reports naming them
    max_question_chars: int = 500
    outlet_tiers_file: str = ""  # outlet reliability tiers; empty: the table shipped in index/data


@dataclass(frozen=True)
class RefreshSettings:
    interval_minutes: float = 15.0  # how often the bot re-reads its sources; 0 = never


@dataclass(frozen=True)
class DiscordSettings:
    # Guilds to sync slash commands to instantly (development); empty = sync globally.
    guild_ids: tuple[str, ...] = ()
    # Besides members with Manage Server, these roles and users may use admin commands.
    admin_role_ids: tuple[str, ...] = ()
    admin_user_ids: tuple[str, ...] = ()
    cooldown_seconds: float = 10.0  # per member, between questions
    sharded: bool = False  # AutoShardedBot, for large installations
    answer_workers: int = 2  # questions answered at once, in worker threads
    answer_queue: int = 20  # questions waiting beyond that; more get "busy, try again"


@dataclass(frozen=True)
class SourceSettings:
    kind: str = "dir"
    path: str = ""
    name: str = ""


@dataclass(frozen=True)
class Settings:
    data: DataSettings = field(default_factory=DataSettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    llm: WriterSettings = field(default_factory=WriterSettings)
    vectors: VectorSettings = field(default_factory=VectorSettings)
    sources: tuple[SourceSettings, ...] = ()
    config_dir: Path = field(default_factory=Path.cwd)

    @property
    def data_dir(self) -> Path:
        return (self.config_dir / Path(self.data.dir).expanduser()).resolve()

    @property
    def index_settings(self) -> IndexSettings:
        return IndexSettings(
            chunk_size=self.chunking.size,
            chunk_overlap=self.chunking.overlap,
            fetch=self.fetch,
            vectors_approximate_above=self.vectors.approximate_above,
            vectors_nprobe=self.vectors.nprobe,
        )

    @property
    def aliases_path(self) -> Path:
        chosen = self.retrieval.aliases_file
        return (self.config_dir / Path(chosen).expanduser()) if chosen else SHIPPED_TABLE

    @property
    def people_path(self) -> Path:
        chosen = self.retrieval.people_file
        return (self.config_dir / Path(chosen).expanduser()) if chosen else SHIPPED_PEOPLE

    @property
    def outlet_tiers_path(self) -> Path:
        chosen = self.answer.outlet_tiers_file
        return (self.config_dir / Path(chosen).expanduser()) if chosen else SHIPPED_TIERS

    @property
    def declared_sources(self) -> list[DeclaredSource]:
        return [
            DeclaredSource(s.kind, str(self.config_dir / Path(s.path).expanduser()), s.name or None)
            for s in self.sources
        ]


_POSITIVE = {
    "retrieval.rrf_k",
    "retrieval.candidates",
    "discord.answer_workers",
    "fetch.timeout_seconds",
    "fetch.max_bytes",
    "fetch.max_concurrency",
    "fetch.per_host_concurrency",
    "embedding.batch_size",
    "chunking.size",
    "retrieval.top_k",
    "answer.max_sentences",
    "answer.max_question_chars",
    "llm.timeout_seconds",
    "llm.max_tokens",
}


def load_settings(config_path: str | None = None, data_dir: str | None = None) -> Settings:
    """Settings from `--config`, else `$TRANSFERDESK_CONFIG`, else defaults; then overrides."""
    path_text = config_path or os.environ.get(CONFIG_ENV)
    settings = Settings()
    if path_text:
        path = Path(path_text).expanduser()
        settings = _from_file(path)
    data_dir = data_dir or os.environ.get(DATA_DIR_ENV)
    if data_dir:
        settings = replace(
            settings, data=DataSettings(dir=str(Path(data_dir).expanduser().resolve()))
        )
    return settings


def _from_file(path: Path) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    where = path.name
    values: dict[str, Any] = {"config_dir": path.resolve().parent}
    for section_name, section in raw.items():
        if section_name == "sources":
            values["sources"] = _sources(section, where)
            continue
        section_type = _section_types().get(section_name)
        if section_type is None:
            raise ConfigError(f"{where}: unknown section [{section_name}]")
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: {section_name} must be a table ([{section_name}])")
        values[section_name] = _section(section_type, section, section_name, where)
    return Settings(**values)


def _section_types() -> dict[str, type]:
    return {
        f.name: f.default_factory  # type: ignore[misc]
        for f in fields(Settings)
        if f.name not in ("sources", "config_dir")
    }


def _section(section_type: type, raw: dict, prefix: str, where: str) -> Any:
    defaults = section_type()
    known = {f.name: f for f in fields(section_type)}
    values = {}
    for key, value in raw.items():
        dotted = f"{prefix}.{key}"
        if key not in known:
            raise ConfigError(f"{where}: unknown key '{dotted}'")
        values[key] = _checked(dotted, value, getattr(defaults, key), where)
    return section_type(**values)


def _checked(dotted: str, value: Any, default: Any, where: str) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is tuple:
        return _string_list(dotted, value, where)
    if type(value) is not expected:
        raise ConfigError(f"{where}: '{dotted}' must be {_type_name(expected)}, got {value!r}")
    if dotted in _POSITIVE and value <= 0:
        bound = "greater than 0" if expected is float else "at least 1"
        raise ConfigError(f"{where}: '{dotted}' must be {bound}, got {value!r}")
    if expected in (int, float) and value < 0:
        raise ConfigError(f"{where}: '{dotted}' must not be negative, got {value!r}")
    if dotted == "retrieval.mode" and value not in MODES:
        raise ConfigError(f"{where}: 'retrieval.mode' must be one of {', '.join(MODES)}")
    if dotted == "retrieval.fusion" and value not in FUSIONS:
        raise ConfigError(f"{where}: 'retrieval.fusion' must be one of {', '.join(FUSIONS)}")
    if isinstance(value, str) and dotted in ("embedding.model", "data.dir") and not value.strip():
        raise ConfigError(f"{where}: '{dotted}' must not be empty")
    return value


def _string_list(dotted: str, value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: '{dotted}' must be a list of text values, got {value!r}")
    if dotted.startswith("discord.") and not all(item.isdigit() for item in value):
        raise ConfigError(f"{where}: '{dotted}' must list Discord ids (digits only), got {value!r}")
    if dotted == "fetch.allowed_networks":
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ConfigError(
                    f"{where}: '{dotted}' has {item!r}, which is not a network like 127.0.0.1/32"
                ) from None
    return tuple(value)


def _sources(raw: Any, where: str) -> tuple[SourceSettings, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: 'sources' must be a list of [[sources]] tables")
    result = []
    for number, entry in enumerate(raw, start=1):
        prefix = f"sources[{number}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: {prefix} must be a table")
        source = _section(SourceSettings, entry, prefix, where)
        if source.kind not in KINDS:
            raise ConfigError(f"{where}: '{prefix}.kind' must be one of {', '.join(KINDS)}")
        if not source.path:
            raise ConfigError(f"{where}: '{prefix}.path' is required")
        result.append(source)
    return tuple(result)


def _type_name(expected: type) -> str:
    return {int: "an integer", float: "a number", str: "text", bool: "true or false"}[expected]


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def settings_as_dict(settings: Settings) -> dict[str, dict[str, Any]]:
    """The scalar sections as plain values (used to compare with config.example.toml)."""
    return {
        f.name: {
            g.name: _plain(getattr(getattr(settings, f.name), g.name))
            for g in fields(getattr(settings, f.name))
        }
        for f in fields(settings)
        if is_dataclass(getattr(settings, f.name))
    }

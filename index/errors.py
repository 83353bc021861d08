"""One exception family whose messages are written for the person who reads them."""

from __future__ import annotations


class TransferDeskError(Exception):
    """An error with a message fit to show a user as it is (one line, no traceback)."""


class ConfigError(TransferDeskError):
    """A config value is missing or invalid; the message names the key."""


class SourceError(TransferDeskError):
    """A source cannot be added, found or read."""


class ModelMismatchError(TransferDeskError):
    """The store was built with another embedding model than the one configured."""


class StoreBusyError(TransferDeskError):
    """Another process holds the reindex lock."""

"""ghstore's log lines as the config's `store.log` asks: a level and a format with gh-store's
(loguru's) fields `{time}`, `{level}`, `{message}`, plus `{name}`, the logger's."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import TextIO

from .config import LogConfig

__all__ = ["LOGGER", "LogFormatter", "level_number", "log_handler", "use_log_config"]

LOGGER = "ghstore"
# loguru's extra levels, as the standard library's nearest.
_LEVELS = {"TRACE": logging.DEBUG, "SUCCESS": logging.INFO}


def level_number(name: str) -> int:
    """The logging level of a config level name (any case)."""
    upper = name.upper()
    return _LEVELS.get(upper) or logging.getLevelNamesMapping()[upper]


class LogFormatter(logging.Formatter):
    """Formats a record with a `str.format` template of time, level, message and name."""

    def __init__(self, template: str) -> None:
        super().__init__()
        self.template = template

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created).astimezone()
        line = self.template.format(
            time=moment.isoformat(timespec="milliseconds"),
            level=record.levelname,
            message=record.getMessage(),
            name=record.name,
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def log_handler(config: LogConfig, stream: TextIO) -> logging.Handler:
    """A handler writing `config`'s lines to `stream`, at `config`'s level."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LogFormatter(config.format))
    handler.setLevel(level_number(config.level))
    return handler


class _ConfigHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler use_log_config installs (one at a time)."""


def use_log_config(config: LogConfig, stream: TextIO | None = None) -> None:
    """Send the `ghstore` logger's lines to `stream` (stderr) as `config` says, replacing the
    handler an earlier call installed; other handlers are left alone."""
    logger = logging.getLogger(LOGGER)
    for old in [h for h in logger.handlers if isinstance(h, _ConfigHandler)]:
        logger.removeHandler(old)
    handler = _ConfigHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(LogFormatter(config.format))
    logger.addHandler(handler)
    logger.setLevel(level_number(config.level))

"""Helpers the tests share (tests/ is on sys.path: `from support.helpers import ...`)."""

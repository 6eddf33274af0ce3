"""The update processor: a lease on the issue (`lock`), one read and one batched write a round
(`settle`), and what each run did (`report`)."""

from ..exceptions import LockTimeout
from .processor import Processor
from .report import ProcessReport, Rejection

__all__ = ["LockTimeout", "ProcessReport", "Processor", "Rejection"]

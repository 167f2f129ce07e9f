"""The garbage collector, paused around the cold-start work that builds objects living as long as the process."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block, and the collector as it was after it.

    Importing boto3 with its first client (botocore's service models) and building the medicine lexicon's tables make
    tens of thousands of objects that live as long as the process. At a cold start the collector's passes over them
    freed nothing and took a third of the handler's import (45 of 130 ms, measured with boto3 loaded). Reference
    counting frees as usual meanwhile; only cycles wait for the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""The screening rules engine and its clinical catalog: a validated form and the submission date in, a screening out.

Pure and AWS-free; everything is precomputed at import so a call costs microseconds.
"""

from screening.rules.catalog import CATALOG_VERSION, catalog_export
from screening.rules.engine import screen

__all__ = ["CATALOG_VERSION", "catalog_export", "screen"]

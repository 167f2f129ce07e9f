"""Write a generated artifact, or with --check fail when the checked-in copy is stale."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def as_json(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_or_check(outputs: dict[Path, str], description: str, argv: list[str] | None = None) -> int:
    """`outputs` maps each file to its expected content. Returns the process exit code."""
    parser = argparse.ArgumentParser(description=f"Generate {description}.")
    parser.add_argument("--check", action="store_true", help="exit 1 if a checked-in file is stale")
    args = parser.parse_args(argv)
    stale = [path for path, text in outputs.items() if not path.exists() or path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run `make generate` and commit it", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], "utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0

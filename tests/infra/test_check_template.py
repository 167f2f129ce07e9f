"""scripts/check-template.sh on a deliberately weakened template: the scan must fail it, and the build must hold only
the Lambda package and its arm64 dependencies. Shells out to the SAM CLI and checkov (installed under .tools/)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from devtools.template import TEMPLATE

ROOT = TEMPLATE.parent.parent
SCRIPT = ROOT / "scripts" / "check-template.sh"

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def weakened_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The template with key rotation switched off (a checkov finding, still valid CloudFormation), checked."""
    workdir = tmp_path_factory.mktemp("weakened")
    source = TEMPLATE.read_text(encoding="utf-8")
    weakened = source.replace("EnableKeyRotation: true", "EnableKeyRotation: false").replace(
        "CodeUri: ../functions", f"CodeUri: {ROOT / 'functions'}"
    )
    assert weakened.count("EnableKeyRotation: false") == 1 and str(ROOT / "functions") in weakened
    template = workdir / "template.yaml"
    template.write_text(weakened, encoding="utf-8")
    build_dir = workdir / "build"
    result = subprocess.run(
        ["bash", str(SCRIPT), str(template)],
        env={**_environment(), "SAM_BUILD_DIR": str(build_dir)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return result, build_dir


def _environment() -> dict[str, str]:
    """The test session's environment without its fake AWS settings: the checks must need no credentials."""
    return {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}


def test_a_scan_finding_fails_the_check_and_names_itself(
    weakened_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, _ = weakened_run
    assert result.returncode != 0
    assert "FAIL checkov" in result.stdout
    # Found in the SAM template and again in the CloudFormation transform, and nothing else is reported.
    assert result.stdout.count("CKV_AWS_7") == 2
    assert "transformed.json" in result.stdout
    assert "PASSED" not in result.stdout
    assert "check-template: 1 check(s) failed" in result.stdout


def test_the_other_checks_still_run_and_pass(weakened_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, _ = weakened_run
    for line in ("ok   cfn-lint", "ok   sam validate --lint", "ok   sam build"):
        assert line in result.stdout


def test_the_build_holds_the_package_and_arm64_wheels_only(
    weakened_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, build_dir = weakened_run
    artifact = build_dir / "IntakeFunction"
    assert (artifact / "screening" / "handlers" / "intake.py").is_file()
    # Compiled for the python3.12 runtime, so a cold start on read-only /var/task does not compile it again.
    assert list((artifact / "screening" / "handlers" / "__pycache__").glob("intake.cpython-312.pyc"))
    assert list((artifact / "pydantic" / "__pycache__").glob("main.cpython-312.pyc"))
    assert list(artifact.glob("pydantic_core/_pydantic_core.*-aarch64-linux-gnu.so"))
    assert not list(artifact.glob("pydantic_core/*x86_64*"))
    # Dev-only code stays out, and boto3 comes from the Lambda runtime.
    assert not [name for name in ("devtools", "tests", "boto3", "moto") if (artifact / name).exists()]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_build_installs_exactly_the_runtime_lock(
    weakened_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, build_dir = weakened_run
    locked = {
        _normalized(name) + "==" + version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    }
    for function in ("IntakeFunction", "ReviewFunction"):
        installed = {
            _normalized(info.name.removesuffix(".dist-info").rpartition("-")[0])
            + "=="
            + info.name.removesuffix(".dist-info").rpartition("-")[2]
            for info in (build_dir / function).glob("*.dist-info")
        }
        assert installed == locked, function


def test_a_wheel_whose_hash_is_not_the_locked_one_fails_the_build(tmp_path: Path) -> None:
    lock = (ROOT / "requirements.lock").read_text()
    tampered = re.sub(r"(?m)^pydantic-core==\S+ \\\n(?:    --hash=sha256:[0-9a-f]+(?: \\)?\n)+", _zeroed, lock)
    assert tampered != lock
    (tmp_path / "requirements.lock").write_text(tampered)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build.sh")],
        env={
            **_environment(),
            "SAM_BUILD_DIR": str(tmp_path / "build"),
            "REQUIREMENTS_LOCK": str(tmp_path / "requirements.lock"),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode != 0
    assert "DO NOT MATCH THE HASHES" in result.stderr


def _zeroed(entry: re.Match[str]) -> str:
    """The lock entry with every hash replaced by zeros: no published wheel matches it."""
    return re.sub(r"sha256:[0-9a-f]+", "sha256:" + "0" * 64, entry.group(0))

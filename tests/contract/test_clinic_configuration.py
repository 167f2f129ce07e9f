"""clinic.json is the one place the clinic's details live: `make configure` stamps them into the form page and the
deploy parameters, the check fails on drift, and the local stack reads the file directly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from devtools import configure
from devtools.local_web import web_file, web_response
from devtools.template import function_def, load_template

CATALOGS = configure.load_catalogs()
SUPPORTED = set(CATALOGS)


def raw_clinic() -> dict[str, Any]:
    details: dict[str, Any] = json.loads(configure.CLINIC_FILE.read_text("utf-8"))
    return details


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copies of clinic.json, the page and samconfig that configure.main() reads and writes."""
    for name, source in (
        ("CLINIC_FILE", configure.CLINIC_FILE),
        ("PAGE", configure.PAGE),
        ("SAMCONFIG", configure.SAMCONFIG),
    ):
        copy = tmp_path / source.name
        copy.write_text(source.read_text("utf-8"), "utf-8")
        monkeypatch.setattr(configure, name, copy)
    monkeypatch.setattr("devtools.generated.ROOT", tmp_path)
    return tmp_path


def test_the_checked_in_page_and_parameters_match_clinic_json() -> None:
    assert configure.main(["--check"]) == 0
    page = configure.PAGE.read_text("utf-8")
    details = raw_clinic()
    assert f'<p class="clinic-name">{details["name"]}</p>' in page
    assert details["phone"] in page.split("<noscript>", 1)[1]  # the no-JavaScript text gives the phone
    samconfig = configure.SAMCONFIG.read_text("utf-8")
    assert f'"ClinicEmergencyNumber={details["emergency_number"]}",' in samconfig
    assert '"ClinicLanguages=en",' in samconfig  # the deploy example: English only until the others are reviewed


def test_an_edited_clinic_json_makes_the_check_fail_until_configure_runs(workspace: Path) -> None:
    details = raw_clinic()
    details["phone"] = "(555) 010-0199"
    details["emergency_number"] = "999"
    (workspace / "clinic.json").write_text(json.dumps(details), "utf-8")
    assert configure.main(["--check"]) == 1
    assert configure.main([]) == 0
    assert configure.main(["--check"]) == 0
    assert "(555) 010-0199" in (workspace / "index.html").read_text("utf-8")
    assert '"ClinicEmergencyNumber=999",' in (workspace / "samconfig.example.toml").read_text("utf-8")


def test_a_hand_edit_between_the_markers_makes_the_check_fail(workspace: Path) -> None:
    page = workspace / "index.html"
    page.write_text(page.read_text("utf-8").replace("Riverside Acupuncture</p>", "Other Clinic</p>", 1), "utf-8")
    assert configure.main(["--check"]) == 1


def test_a_page_without_its_markers_is_refused(workspace: Path) -> None:
    page = workspace / "index.html"
    page.write_text(re.sub(r"<!-- /?clinic:noscript -->\n?", "", page.read_text("utf-8")), "utf-8")
    assert configure.main(["--check"]) == 1


def test_the_clinics_text_is_escaped_in_the_page() -> None:
    details = raw_clinic() | {"name": "A&B <script>alert(1)</script>"}
    clinic = configure.parse_clinic(details, SUPPORTED)
    page = configure.stamp_page(configure.PAGE.read_text("utf-8"), clinic, CATALOGS)
    assert "<script>alert(1)" not in page
    assert "A&amp;B &lt;script&gt;" in page
    settings = re.search(r'id="clinic-settings">(.*?)</script>', page)
    assert settings is not None and json.loads(settings.group(1))["name"] == details["name"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"languages": ["en", "fr"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"privacy_notice": {"url": "http://clinic.example/privacy", "version": "1"}}, "https://"),
        ({"emergency_number": "call 911"}, "emergency_number"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"date_format": "D/M/Y"}, "date_format"),
        ({"name": ""}, "name"),
        ({"languages": ["en", "es"], "retention": {"en": "8 years"}}, "retention"),
    ],
)
def test_a_value_the_pages_cannot_use_is_refused_naming_it(change: dict[str, Any], message: str) -> None:
    with pytest.raises(configure.ClinicError, match=message):
        configure.parse_clinic(raw_clinic() | change, SUPPORTED)


def test_the_local_stack_enables_every_language_and_serves_the_page_stamped_from_clinic_json() -> None:
    local = configure.local_clinic()
    assert local.languages == ("en", "es", "zh-Hans")
    assert local.parameters() == {
        "ClinicEmergencyNumber": raw_clinic()["emergency_number"],
        "ClinicLanguages": "en,es,zh-Hans",
        "ClinicTimeZone": raw_clinic()["time_zone"],
    }
    page_file = web_file("/")
    assert page_file is not None
    served = web_response(page_file).body.decode("utf-8")
    assert '"languages": ["en", "es", "zh-Hans"]' in served
    assert '<p lang="zh-Hans">' in served


def test_the_template_takes_the_clinic_parameters_to_the_intake_function() -> None:
    template = load_template()
    parameters = template["Parameters"]
    for name, value in configure.local_clinic().parameters().items():
        assert re.fullmatch(parameters[name]["AllowedPattern"], value), name
    environment = function_def("IntakeFunction", template).environment
    assert environment["EMERGENCY_NUMBER"] == {"Ref": "ClinicEmergencyNumber"}
    assert environment["ENABLED_LOCALES"] == {"Ref": "ClinicLanguages"}

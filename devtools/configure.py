"""`make configure`: the clinic's details from clinic.json, stamped into the static form and the deploy parameters.

CloudFormation cannot read a file and a static page has no server, so the values the clinic edits in clinic.json
are written into web/index.html (between `<!-- clinic:NAME -->` markers, the `<noscript>` text included) and into
the parameter overrides of infra/samconfig.example.toml. `--check` fails when either has drifted from clinic.json.
The local stack (`make run`) stamps the page from clinic.json on every request instead, with every language enabled.
"""

from __future__ import annotations

import html
import json
import re
import sys
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from devtools.generated import ROOT, write_or_check

CLINIC_FILE = ROOT / "clinic.json"
PAGE = ROOT / "web" / "index.html"
CATALOGS = ROOT / "web" / "i18n"
SAMCONFIG = ROOT / "infra" / "samconfig.example.toml"
DATE_FORMATS = ("DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY")
_EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,6}$")
TITLE_MESSAGE, NOSCRIPT_MESSAGE = "ui.doc_title", "ui.noscript"
STAMPED_MESSAGES = (TITLE_MESSAGE, NOSCRIPT_MESSAGE)
"""The messages written into the page itself: its title and the text shown without JavaScript."""
_MARKED = re.compile(
    r"(?P<open>[ \t]*<!-- clinic:(?P<name>[a-z]+) -->\n).*?(?P<close>[ \t]*<!-- /clinic:(?P=name) -->)", re.S
)
_PARAMETERS = re.compile(r"(?P<open>[ \t]*# clinic: .*?\n).*?(?P<close>[ \t]*# /clinic)", re.S)


class ClinicError(ValueError):
    """clinic.json is missing a value or has one the pages or the template cannot use."""


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    address: str
    email: str
    emergency_number: str
    time_zone: str
    date_format: str
    languages: tuple[str, ...]
    privacy_notice_url: str
    privacy_notice_version: str
    retention: dict[str, str]

    def page_settings(self) -> dict[str, Any]:
        """What the form's script reads from the stamped page."""
        return {
            "name": self.name,
            "phone": self.phone,
            "address": self.address,
            "email": self.email,
            "emergency_number": self.emergency_number,
            "time_zone": self.time_zone,
            "date_format": self.date_format,
            "languages": list(self.languages),
            "privacy_notice": {"url": self.privacy_notice_url, "version": self.privacy_notice_version},
            "retention": {code: self.retention[code] for code in self.languages},
        }

    def parameters(self) -> dict[str, str]:
        """The template parameters that carry the clinic's details to the Lambda."""
        return {
            "ClinicEmergencyNumber": self.emergency_number,
            "ClinicLanguages": ",".join(self.languages),
            "ClinicTimeZone": self.time_zone,
        }


def _text(raw: dict[str, Any], key: str, limit: int = 200, within: str = "") -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ClinicError(f"clinic.json: {within}{key} must be text of 1 to {limit} characters")
    return value.strip()


def parse_clinic(raw: dict[str, Any], supported: set[str]) -> Clinic:
    """The clinic's details, checked: every value the pages show, in every language they are enabled in."""
    languages = raw.get("languages")
    if not isinstance(languages, list) or not languages or not all(code in supported for code in languages):
        raise ClinicError(f"clinic.json: languages must be a non-empty list of {sorted(supported)}")
    notice = raw.get("privacy_notice")
    if not isinstance(notice, dict):
        raise ClinicError("clinic.json: privacy_notice must be an object with url and version")
    url, version = _text(notice, "url", within="privacy_notice."), _text(notice, "version", 50, "privacy_notice.")
    if not url.startswith("https://"):
        raise ClinicError("clinic.json: privacy_notice.url must start with https://")
    emergency = _text(raw, "emergency_number", 6)
    if not _EMERGENCY_NUMBER.match(emergency):
        raise ClinicError("clinic.json: emergency_number must be the digits to dial, such as 911, 999 or 112")
    time_zone = _text(raw, "time_zone", 64)
    if time_zone not in zoneinfo.available_timezones():
        raise ClinicError("clinic.json: time_zone must be an IANA time zone such as America/New_York")
    date_format = _text(raw, "date_format", 10)
    if date_format not in DATE_FORMATS:
        raise ClinicError(f"clinic.json: date_format must be one of {', '.join(DATE_FORMATS)}")
    retention = raw.get("retention")
    if not isinstance(retention, dict):
        raise ClinicError("clinic.json: retention must map each language to how long answers are kept, in words")
    return Clinic(
        name=_text(raw, "name", 100),
        phone=_text(raw, "phone", 30),
        address=_text(raw, "address"),
        email=_text(raw, "email", 254),
        emergency_number=emergency,
        time_zone=time_zone,
        date_format=date_format,
        languages=tuple(dict.fromkeys(languages)),
        privacy_notice_url=url,
        privacy_notice_version=version,
        retention={
            code: _text(retention, code, within="retention.")
            for code in sorted(supported)
            if code in languages or code in retention
        },
    )


def load_catalogs(folder: Path = CATALOGS) -> dict[str, dict[str, Any]]:
    return {file.stem: json.loads(file.read_text("utf-8")) for file in sorted(folder.glob("*.json"))}


def load_clinic(path: Path = CLINIC_FILE, catalogs: dict[str, dict[str, Any]] | None = None) -> Clinic:
    catalogs = catalogs if catalogs is not None else load_catalogs()
    return parse_clinic(json.loads(path.read_text("utf-8")), set(catalogs))


def local_clinic(path: Path = CLINIC_FILE) -> Clinic:
    """clinic.json as the local stack uses it: every language that has a catalog enabled, so all can be tried."""
    catalogs = load_catalogs()
    clinic = load_clinic(path, catalogs)
    missing = sorted(set(catalogs) - clinic.retention.keys())
    if missing:
        raise ClinicError(f"clinic.json: retention needs the words for {', '.join(missing)} too (the local stack)")
    first = clinic.languages[0]
    return replace(clinic, languages=tuple(sorted(catalogs, key=lambda code: (code != first, code))))


def _message(catalog: dict[str, Any], key: str, clinic: Clinic) -> str:
    values = {"clinic": clinic.name, "phone": clinic.phone, "emergency": clinic.emergency_number}
    return re.sub(r"\{([a-z_]+)\}", lambda match: values.get(match.group(1), match.group(0)), str(catalog[key]))


def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def regions(clinic: Clinic, catalogs: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The stamped lines of each marked region of the form page."""
    first = catalogs[clinic.languages[0]]
    settings = json.dumps(clinic.page_settings(), ensure_ascii=False)
    settings = settings.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")  # inert in <script>
    notices = [
        f'  <p lang="{code}">{html.escape(_message(catalogs[code], NOSCRIPT_MESSAGE, clinic))}</p>'
        for code in clinic.languages
    ]
    phone = f'<a href="{html.escape(_tel(clinic.phone))}">{html.escape(clinic.phone)}</a>'
    email = f'<a href="mailto:{html.escape(clinic.email)}">{html.escape(clinic.email)}</a>'
    return {
        "settings": [f'<script type="application/json" id="clinic-settings">{settings}</script>'],
        "title": [f"<title>{html.escape(_message(first, TITLE_MESSAGE, clinic))}</title>"],
        "header": [
            f'<p class="clinic-name">{html.escape(clinic.name)}</p>',
            f'<p class="clinic-contact">{phone} · {email} · {html.escape(clinic.address)}</p>',
        ],
        "noscript": [
            '<noscript><div class="notice notice-error unavailable">',
            *notices,
            "</div></noscript>",
            '<div id="form-unavailable" class="notice notice-error unavailable" hidden>',
            *notices,
            "</div>",
        ],
    }


def stamp_page(text: str, clinic: Clinic, catalogs: dict[str, dict[str, Any]]) -> str:
    """The page with each `<!-- clinic:NAME -->` region replaced; a region the page lacks is an error."""
    wanted = regions(clinic, catalogs)
    found = {match.group("name") for match in _MARKED.finditer(text)}
    if found != wanted.keys():
        raise ClinicError(f"the page's clinic markers are {sorted(found)}, expected {sorted(wanted)}")

    def fill(match: re.Match[str]) -> str:
        indent = re.match(r"[ \t]*", match.group("open")).group(0)  # type: ignore[union-attr]
        body = "".join(f"{indent}{line}\n" for line in wanted[match.group("name")])
        return f"{match.group('open')}{body}{match.group('close')}"

    return _MARKED.sub(fill, text)


def stamp_parameters(text: str, clinic: Clinic) -> str:
    """samconfig's parameter_overrides with the clinic's lines between `# clinic:` and `# /clinic`."""
    match = _PARAMETERS.search(text)
    if match is None:
        raise ClinicError(f"{SAMCONFIG.relative_to(ROOT)} has no `# clinic:` … `# /clinic` lines")
    indent = re.match(r"[ \t]*", match.group("open")).group(0)  # type: ignore[union-attr]
    body = "".join(f"{indent}{json.dumps(f'{key}={value}')},\n" for key, value in clinic.parameters().items())
    return f"{text[: match.start()]}{match.group('open')}{body}{match.group('close')}{text[match.end() :]}"


def main(argv: list[str] | None = None) -> int:
    catalogs = load_catalogs()
    try:
        clinic = load_clinic(CLINIC_FILE, catalogs)
        outputs = {
            PAGE: stamp_page(PAGE.read_text("utf-8"), clinic, catalogs),
            SAMCONFIG: stamp_parameters(SAMCONFIG.read_text("utf-8"), clinic),
        }
    except ClinicError as error:
        print(error, file=sys.stderr)
        return 1
    code = write_or_check(outputs, "the clinic's details in the form page and the deploy parameters", argv)
    if code:
        print("(for these files: run `make configure` after editing clinic.json)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())

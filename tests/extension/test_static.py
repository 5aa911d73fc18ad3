"""Static checks of the extension folder: narrow permissions, files present, strings in both languages, icons."""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[2] / "extension"
_spec = importlib.util.spec_from_file_location("pith_make_icons", Path(__file__).with_name("make_icons.py"))
make_icons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_icons)
LOCALES = ("en", "de")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((EXT / "manifest.json").read_text(encoding="utf-8"))


def messages(lang: str) -> dict[str, dict[str, str]]:
    return json.loads((EXT / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))


def test_permissions_are_narrow(manifest: dict) -> None:
    assert manifest["manifest_version"] == 3
    assert sorted(manifest["permissions"]) == ["activeTab", "contextMenus", "scripting", "storage"]
    # No site access at install: the backend's origin is asked for at run time, content scripts are injected on demand.
    assert "host_permissions" not in manifest
    assert "content_scripts" not in manifest
    assert set(manifest["optional_host_permissions"]) <= {"http://*/*", "https://*/*"}
    assert "<all_urls>" not in json.dumps(manifest)


def test_manifest_serves_chromium_and_firefox(manifest: dict) -> None:
    background = manifest["background"]
    assert background["service_worker"] == "background.js"
    assert background["scripts"][-1] == "background.js"  # Firefox's event page, with the shared client first
    assert "client.js" in background["scripts"]
    assert re.fullmatch(r"[\w.-]+@[\w.-]+", manifest["browser_specific_settings"]["gecko"]["id"])
    assert manifest["action"]["default_popup"] == "popup.html"
    assert manifest["options_ui"]["page"] == "options.html"
    assert manifest["commands"]["_execute_action"]["suggested_key"]["default"]
    assert manifest["default_locale"] == "en"


def test_every_referenced_file_exists(manifest: dict) -> None:
    referenced = [
        *manifest["icons"].values(), *manifest["action"]["default_icon"].values(),
        manifest["action"]["default_popup"], manifest["options_ui"]["page"],
        manifest["background"]["service_worker"], *manifest["background"]["scripts"],
    ]
    for page in ("popup.html", "options.html"):
        html = (EXT / page).read_text(encoding="utf-8")
        referenced += re.findall(r'(?:src|href)="([^"#:]+)"', html)
    referenced += re.findall(r'files: \["([^"]+)"\]', (EXT / "popup.js").read_text(encoding="utf-8"))
    referenced += re.findall(r'importScripts\("([^"]+)"\)', (EXT / "background.js").read_text(encoding="utf-8"))
    missing = [name for name in referenced if not (EXT / name).is_file()]
    assert not missing


def _used_message_keys() -> set[str]:
    keys = set(re.findall(r"__MSG_(\w+)__", (EXT / "manifest.json").read_text(encoding="utf-8")))
    for html in EXT.glob("*.html"):
        keys |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="(\w+)"', html.read_text(encoding="utf-8")))
    for js in EXT.glob("*.js"):
        text = js.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bt\("(\w+)"', text))
        keys |= set(re.findall(r'getMessage\("(\w+)"', text))
        keys |= set(re.findall(r'(?:msg|hint): "(\w+)"', text))
    return keys


def test_every_ui_string_exists_in_english_and_german() -> None:
    used = _used_message_keys()
    assert len(used) > 30  # the scan found the UI's strings
    for lang in LOCALES:
        missing = used - set(messages(lang))
        assert not missing, f"{lang} lacks {sorted(missing)}"
    en, de = messages("en"), messages("de")
    assert set(en) == set(de)
    for key in en:
        # Same substitutions in both languages, and German really translated where the words are not names.
        assert sorted(re.findall(r"\$\d", en[key]["message"])) == sorted(re.findall(r"\$\d", de[key]["message"])), key
    translated = [k for k in en if en[k]["message"] != de[k]["message"]]
    assert len(translated) >= len(en) - 2


def test_no_address_but_the_default_backend_in_code() -> None:
    """Pages go only to the configured backend: the code holds no other web address to send anything to."""
    for js in EXT.glob("*.js"):
        addresses = set(re.findall(r"https?://[^\s\"'`)]+", js.read_text(encoding="utf-8")))
        assert addresses <= {"http://127.0.0.1:8000"}, (js.name, addresses)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_icons_are_the_generated_pngs_of_their_declared_sizes(manifest: dict) -> None:
    for size, name in manifest["icons"].items():
        data = (EXT / name).read_bytes()
        assert _png_size(data) == (int(size), int(size))
        assert data == make_icons.icon_png(int(size)), f"{name} differs from make_icons.py's drawing"
    assert {int(s) for s in manifest["icons"]} == set(make_icons.SIZES)

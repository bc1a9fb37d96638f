"""Chinese typography (issue 17): full-width colon and brackets in the Chinese texts and in the
templates' labels; a favicon on every page."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = [ROOT / "locale", ROOT / "enrollment/locale", ROOT / "outreach/locale", ROOT / "reporting/locale"]
HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese_msgstrs():
    for folder in CATALOGUES:
        for path in folder.glob("zh_Hans/LC_MESSAGES/django.po"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.startswith("msgstr") and HAN.search(line):
                    yield f"{path.relative_to(ROOT)}:{number}", line.split(" ", 1)[1]


def half_width_punctuation(text):
    text = re.sub(r"%\(\w+\)[sd]", "", text)  # placeholders
    text = re.sub(r"\d:\d", "", text)  # times of day, 8:30
    text = re.sub(r"https?://\S+", "", text)
    return re.findall(r"[():]", text)


def test_chinese_translations_use_full_width_colons_and_brackets():
    bad = [f"{where}: {text}" for where, text in chinese_msgstrs() if half_width_punctuation(text)]
    assert not bad, "\n".join(bad)


def test_templates_put_no_half_width_colon_or_bracket_beside_a_translated_label():
    pattern = re.compile(r"\{% (?:trans|translate) \"[^\"]+\" %\}\s?[:(]|\}\}\s\(\{")
    bad = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # blocktrans bodies are English msgids, translated in the catalogues checked above
            if pattern.search(re.sub(r"\{% blocktrans.*?endblocktrans %\}", "", line)):
                bad.append(f"{path.relative_to(ROOT)}:{number}")
    assert not bad, bad


@pytest.mark.django_db
def test_every_page_has_a_favicon(client, login, county_user_a):
    assert (ROOT / "static/favicon.svg").read_text().startswith("<svg")
    for response in (client.get("/login/"), login(county_user_a).get("/")):
        assert 'rel="icon" href="/static/favicon.svg"' in response.content.decode()

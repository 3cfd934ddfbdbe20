"""The left menu: a glyph per entry, each one a font on the machine can draw."""

import shutil
import subprocess
from collections import Counter

from yimen.org.context_processors import MENU


def test_no_two_menu_entries_share_a_glyph():
    glyphs = Counter(icon for *_, icon in MENU)
    assert [glyph for glyph, count in glyphs.items() if count > 1] == []


def test_every_menu_glyph_is_drawn_by_an_installed_font():
    """Chromium falls back through fontconfig; a glyph no font has shows as an empty box (⚿ did)."""
    fc_list = shutil.which("fc-list")
    missing = []
    for label, _, _, icon in MENU:
        fonts = subprocess.run([fc_list, f":charset={ord(icon):x}", "family"], capture_output=True, text=True)  # noqa: S603
        if not fonts.stdout.strip():
            missing.append((label, icon))
    assert missing == []

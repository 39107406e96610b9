"""The core never imports Textual: the line mode, scripts and tests stay light and headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import coach

CORE_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages([str(Path(coach.__file__).parent)], prefix="coach.")
    if not info.name.startswith("coach.tui")
    and info.name not in {"coach.__main__", "coach.cli.app", "coach.cli.serve"}
)


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"textual imported by the core: {result.stdout}"
    assert "coach.session.engine" in CORE_MODULES and "coach.dialogue.playbook" in CORE_MODULES


def test_check_command_does_not_import_textual() -> None:
    code = (
        "import sys\nfrom coach.cli.main import main\nrc = main(['check'])\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "CLEAN 0"

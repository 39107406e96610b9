"""`coach verify`: the store's integrity check on demand, one line whatever it finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.casefile.store import DB_NAME, Store
from coach.cli.main import main
from coach.paths import data_dir_path


def test_no_case_file_yet_is_said_and_none_is_created(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "no case file yet" in out
    assert not (data_dir_path() / DB_NAME).exists()


def test_a_sound_store_is_reported_sound_with_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open()
    store.create_case({"creditor": "Midstate", "balance": "100.00"}, "ER visit", "collections")
    store.close()
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "sound (1 case, 0 calls; SQLite integrity check ok)" in out


def test_a_damaged_store_is_one_line_and_a_failing_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open()
    for n in range(300):  # enough rows for several pages, so the damage lands inside the file's b-trees
        store.create_case(
            {"creditor": f"Creditor {n}", "balance": "100.00", "notes": "x" * 200}, f"case {n}", "collections"
        )
    store.close()
    path = data_dir_path() / DB_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # every page but the header's: garbage
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    code = main(["verify"])
    captured = capsys.readouterr()
    said = (captured.out + captured.err).strip()
    assert code != 0 and "\n" not in said and "damaged" in said, said
    assert "Traceback" not in said

"""coach bill-check: duplicates, repeated codes, dates, missing codes, the EOB, and malformed CSV."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli.main import main
from coach.errors import CoachError
from coach.money.billcheck import check, read_eob, read_itemized

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
ITEMIZED = str(SAMPLES / "itemized.csv")
EOB = str(SAMPLES / "eob.csv")
HEADER = "date,code,description,units,charge\n"


def write(tmp_path: Path, text: str, name: str = "bill.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_against_the_eob_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bill-check", ITEMIZED, "--eob", EOB]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{ITEMIZED}:3: Rows 3, 4 are the same charge (71046 Chest X-ray 2 views, $420.00 on 2025-06-14) "
        "listed 2 times; ask them to remove the copies or explain each one.",
        f"{ITEMIZED}:3: 71046 on 2025-06-14: the bill charges $840.00, but the insurer was billed $420.00 "
        "(EOB row 3); ask why they differ.",
        f"{ITEMIZED}:3: 71046 on 2025-06-14: the EOB (row 3) says you owe $40.00, the bill asks $240.00; "
        "if the provider is in your plan's network, you generally owe no more than the EOB says.",
        f"{ITEMIZED}:6: Row 6 is dated 2025-06-15, outside the dates of service (2025-06-14 to 2025-06-14); "
        "ask what service it was and when.",
        f"{ITEMIZED}:6: J1100 on 2025-06-15 (row 6) is not on the EOB; ask whether it was sent to your "
        "insurer before you pay it.",
        f"{ITEMIZED}:7: Row 7 (Supplies, $75.00) has no billing code; ask for the CPT, HCPCS or revenue code.",
        "Send these to the billing office in writing and ask for a corrected bill (coach letter itemized).",
    ]


def test_sample_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bill-check", ITEMIZED, "--eob", EOB, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == ITEMIZED and data["lines"] == 6
    assert [(f["kind"], f["rows"]) for f in data["findings"]] == [
        ("duplicate", [3, 4]),
        ("billed-differs-from-eob", [3, 4]),
        ("differs-from-eob", [3, 4]),
        ("outside-dates", [6]),
        ("not-on-eob", [6]),
        ("no-code", [7]),
    ]
    assert all(f["text"] for f in data["findings"])


def test_sample_without_the_eob_has_no_date_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bill-check", ITEMIZED, "--json"]) == 0
    kinds = [f["kind"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert kinds == ["duplicate", "no-code"]


def test_dates_from_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bill-check", ITEMIZED, "--from", "6/14/2025", "--to", "2025-06-14", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["kind"], f["rows"]) for f in findings if f["kind"] == "outside-dates"] == [
        ("outside-dates", [6])
    ]
    assert main(["bill-check", ITEMIZED, "--from", "2025-06-15", "--json"]) == 0  # one bound alone works
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rows"] for f in findings if f["kind"] == "outside-dates"] == [[2], [3], [4], [5], [7]]


def test_clean_bill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, HEADER + "2026-01-02,99213,Office visit,1,180.00\n")
    assert main(["bill-check", str(path)]) == 0
    assert capsys.readouterr().out == (
        "No problems found in 1 lines. Still compare the bill with your EOB line by line.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "2025-06-15", "--to", "2025-06-14"],
            "coach: --to: 2025-06-14 is before --from 2025-06-15",
        ),
        (["--from", "soon"], "coach: --from: 'soon' is not a date like 2026-03-01 or 3/1/2026"),
        (["--to", "13/45/2025"], "coach: --to: '13/45/2025' is not a date like 2026-03-01 or 3/1/2026"),
    ],
)
def test_flag_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["bill-check", ITEMIZED, *args]) == 2
    assert capsys.readouterr().err == message + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER + "2026-01-02,1,x,1,5\n2026-01-02,2,y,1,6\n2026-01-02,3,z,1,abc\n",
            "bill.csv:4: charge 'abc' is not an amount",
        ),
        (HEADER + "\n\n2026-01-02,1,x,1,$$5\n", "bill.csv:4: charge '$$5' is not an amount"),
        (HEADER + "yesterday,1,x,1,5\n", "bill.csv:2: date 'yesterday' is not a date like 2026-03-01 or 3/1/2026"),
        (HEADER + "2026-01-02,1,x,1.5,5\n", "bill.csv:2: units '1.5' is not a whole number"),
        (HEADER + "2026-01-02,1,x,²,5\n", "bill.csv:2: units '²' is not a whole number"),
        (HEADER + '2026-01-02,1,x,1,"12\n34"\n', "bill.csv:3: charge '12\\n34' is not an amount"),
        (HEADER + "2026-01-02,1,x,1," + "9" * 60 + "z\n", "bill.csv:2: charge '" + "9" * 37 + "...' is not an amount"),
        (HEADER + "2026-01-02,1,x,1,5,extra,cells\n", None),
        (HEADER + "2026-01-02,1,x\n", "bill.csv:2: charge is missing"),
        (HEADER + ",1,x,1,5\n", "bill.csv:2: date is missing"),
        ("date,code,units,charge\n", "bill.csv:1: missing column(s) description (expected date,code,description,units,charge)"),
        ("", "bill.csv:1: missing column(s) date, code, description, units, charge (expected date,code,description,units,charge)"),
    ],
)  # fmt: skip
def test_malformed_itemized(tmp_path: Path, content: str, message: str | None) -> None:
    path = write(tmp_path, content)
    if message is None:
        assert len(read_itemized(path)) == 1
        return
    with pytest.raises(CoachError) as error:
        read_itemized(path)
    assert str(error.value).replace(str(tmp_path) + "/", "").startswith(message)


def test_malformed_through_the_cli_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, HEADER + "2026-01-02,1,x,1,5\n2026-01-02,2,y,1,6\n2026-01-02,3,z,1,abc\n")
    assert main(["bill-check", str(path)]) == 2
    assert capsys.readouterr().err == f"coach: {path}:4: charge 'abc' is not an amount\n"
    assert main(["bill-check", str(tmp_path / "missing.csv")]) == 2
    assert capsys.readouterr().err == f"coach: {tmp_path / 'missing.csv'}: no such file\n"
    binary = tmp_path / "scan.csv"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage\x81")
    assert main(["bill-check", str(binary)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_malformed_eob(tmp_path: Path) -> None:
    eob = write(
        tmp_path, "date,code,billed,allowed,patient_responsibility\n2026-01-02,1,5,4,lots\n", "eob.csv"
    )
    with pytest.raises(CoachError, match=r"eob\.csv:2: patient_responsibility 'lots' is not an amount"):
        read_eob(eob)
    with pytest.raises(CoachError, match=r"eob\.csv:1: missing column\(s\) allowed"):
        read_eob(write(tmp_path, "date,code,billed,patient_responsibility\n", "eob.csv"))


def test_header_case_order_and_extra_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Charge, Units ,Description,CODE,Date,Notes\n(25.00),1,Refund,99213,2026-01-02,credit\n"
        "180,,Office visit,99213,2026-01-02,\n,,,,,\n",
    )
    lines = read_itemized(path)
    assert [(ln.row, ln.code, ln.units, str(ln.charge)) for ln in lines] == [
        (2, "99213", 1, "-25.00"),
        (3, "99213", 1, "180.00"),
    ]
    assert [f.kind for f in check(lines)] == ["repeated-code"]


def test_repeated_code_that_is_not_an_exact_copy(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2026-01-02,80053,Panel,1,90\n2026-01-02,80053,Panel,2,180\n")
    findings = check(read_itemized(path))
    assert [(f.kind, f.rows) for f in findings] == [("repeated-code", (2, 3))]
    assert findings[0].text == (
        "Code 80053 appears 2 times on 2026-01-02 (rows 2, 3); ask whether each one is a separate service."
    )


def test_eob_lines_for_the_same_code_are_added_up(tmp_path: Path) -> None:
    bill = write(
        tmp_path,
        HEADER.replace("charge", "charge,patient_due")
        + "2026-01-02,J3490,Drug,1,50,10\n2026-01-02,J3490,Drug other,1,70,15\n",
    )
    eob = write(
        tmp_path,
        "date,code,billed,allowed,patient_responsibility\n2026-01-02,J3490,50,20,10\n2026-01-02,J3490,70,30,15\n",
        "eob.csv",
    )
    kinds = [f.kind for f in check(read_itemized(bill), read_eob(eob))]
    assert kinds == ["repeated-code"]


def test_row_numbers_count_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n2026-01-02,,Supplies,1,5\n")
    assert [f.rows for f in check(read_itemized(path))] == [(3,)]


line_strategy = st.tuples(
    st.dates(),
    st.sampled_from(["99213", "71046", "85025", "J1100", ""]),
    st.sampled_from(["Visit", "X-ray", "Lab", "Supplies"]),
    st.integers(min_value=1, max_value=5),
    st.decimals(min_value=0, max_value=100000, places=2),
)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(line_strategy, min_size=1, max_size=12), seed=st.integers(0, 10**6))
def test_a_copied_line_is_always_found(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[Any, ...]], seed: int
) -> None:
    doubled = [*rows, random.Random(seed).choice(rows)]
    random.Random(seed).shuffle(doubled)
    text = HEADER + "".join(f"{d.isoformat()},{c},{desc},{u},{ch}\n" for d, c, desc, u, ch in doubled)
    path = tmp_path_factory.mktemp("bills") / "bill.csv"
    path.write_text(text)
    lines = read_itemized(path)
    findings = check(lines)
    assert any(f.kind == "duplicate" for f in findings)
    assert all(f.rows and all(2 <= r <= len(doubled) + 1 for r in f.rows) for f in findings)
    assert [f.rows[0] for f in findings] == sorted(f.rows[0] for f in findings)


DUE_FINDING = (
    "The bill asks $850.00 in all, but the EOB says you owe $515.00 in all, $335.00 less; "
    "ask them to explain the difference before you pay more than the EOB says."
)


def test_amount_due_above_the_eob_is_a_whole_bill_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bill-check", ITEMIZED, "--eob", EOB, "--due", "$850"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [
        f"{ITEMIZED}: {DUE_FINDING}",  # no row: it is about the whole bill, and it comes last
        "Send these to the billing office in writing and ask for a corrected bill (coach letter itemized).",
    ]
    assert main(["bill-check", ITEMIZED, "--eob", EOB, "--due", "850", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings[-1] == {"kind": "due-above-eob", "rows": [], "text": DUE_FINDING}
    assert len(findings) == 7


@pytest.mark.parametrize("due", ["515", "515.00", "100"])
def test_amount_due_at_or_below_the_eob_is_not_a_finding(
    due: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bill-check", ITEMIZED, "--eob", EOB, "--due", due, "--json"]) == 0
    kinds = [f["kind"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "due-above-eob" not in kinds and len(kinds) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--due", "850"], "coach: --due: needs --eob (the amount due is checked against the EOB)"),
        (["--eob", EOB, "--due", "lots"], "coach: --due: 'lots' is not an amount like $1,234.50"),
        (["--eob", EOB, "--due", "-5"], "coach: --due: '-5' is not an amount like $1,234.50"),
        (["--from", "6/14\n2025"], "coach: --from: '6/14\\n2025' is not a date like 2026-03-01 or 3/1/2026"),
    ],
)
def test_due_and_date_flag_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["bill-check", ITEMIZED, *args]) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""


def test_check_with_amount_due_but_no_eob_finds_nothing_more(tmp_path: Path) -> None:
    lines = read_itemized(write(tmp_path, HEADER + "2026-01-02,99213,Office visit,1,180.00\n"))
    assert check(lines, None, amount_due=Decimal(5000)) == []

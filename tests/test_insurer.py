"""The insurer's side of a case: the appeal window by plan type, its letters and its deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from coach.casefile.deadlines import case_deadlines, to_ics
from coach.casefile.letters import letter_kinds, write_letter
from coach.cli.main import main
from coach.dialogue.appeals import appeal_deadline, appeal_route
from coach.dialogue.facts import parse_fact
from coach.dialogue.schema import Playbook
from coach.errors import CoachError

CASE = {
    "patient_name": "Jordan Rivera",
    "patient_address": "12 Elm St, Salem OR 97301",
    "account_number": "AC-558812",
    "creditor": "St. Anne Regional Hospital",
    "date_of_service": "2025-06-14",
    "insurer_name": "Acme Health",
    "insurer_address": "PO Box 9, Hartford CT 06101",
    "member_id": "ACM-1234",
    "claim_number": "CLM-77",
    "plan_type": "job-based",
    "reason_code": "CO-16",
    "denial_date": "2026-11-01",
    "network_status": "in-network",
}
INSURER_LETTERS = ("claim-file", "reprocess", "appeal", "hold-request")


def facts(playbook: Playbook, **changes: Any) -> dict[str, Any]:
    raw = {**CASE, **changes}
    return {name: parse_fact(playbook.facts[name], value) for name, value in raw.items() if value is not None}


@pytest.mark.parametrize(
    ("plan_type", "due"),
    [
        ("job-based", dt.date(2027, 4, 30)),
        ("marketplace", dt.date(2027, 4, 30)),
        ("medicare", dt.date(2027, 3, 1)),
        ("medicare-advantage", dt.date(2026, 12, 31)),
        ("medicaid", dt.date(2026, 12, 31)),
        (None, dt.date(2026, 12, 31)),  # unknown: the shortest common window
    ],
)
def test_the_appeal_window_depends_on_the_plan_type(
    playbook: Playbook, plan_type: str | None, due: dt.date
) -> None:
    assert appeal_deadline(facts(playbook, plan_type=plan_type)) == due


def test_no_denial_date_no_appeal_deadline(playbook: Playbook) -> None:
    assert appeal_deadline(facts(playbook, denial_date=None)) is None
    assert "fair hearing" in str(appeal_route(facts(playbook, plan_type="medicaid")))
    assert appeal_route(facts(playbook, plan_type=None)) is None


@pytest.mark.parametrize("kind", INSURER_LETTERS)
def test_the_insurer_letters_render_from_a_case_with_no_blanks(playbook: Playbook, kind: str) -> None:
    text = write_letter(kind, playbook, facts(playbook), "insurer", today=dt.date(2026, 12, 2))
    assert "[" not in text and "{" not in text and "None" not in text
    assert "Jordan Rivera" in text and "CLM-77" in text
    if kind == "hold-request":
        assert "St. Anne Regional Hospital" in text and "Acme Health" in text and "AC-558812" in text
    else:
        assert "Acme Health\nPO Box 9, Hartford CT 06101" in text and "member ID ACM-1234" in text


def test_each_insurer_letter_says_what_it_needs(playbook: Playbook) -> None:
    with pytest.raises(CoachError, match=r"letter appeal needs: reason_code, denial_date"):
        write_letter("appeal", playbook, facts(playbook, reason_code=None, denial_date=None), "insurer")
    with pytest.raises(CoachError, match=r"corrected_code or network_status or emergency_care"):
        write_letter("reprocess", playbook, facts(playbook, network_status=None), "insurer")


def test_letter_bodies_follow_the_case(playbook: Playbook) -> None:
    reprocess = write_letter(
        "reprocess", playbook, facts(playbook, corrected_code="CPT 99213", emergency_care="yes"), "insurer"
    )
    assert "the correct code or status is CPT 99213" in reprocess
    assert "No Surprises Act (45 CFR 149.110)" in reprocess
    appeal = write_letter(
        "appeal",
        playbook,
        facts(playbook, health_at_risk="yes", appeal_attachments="Dr. Lee's letter"),
        "insurer",
    )
    assert "reason code\nCO-16" in appeal and "dated November 1, 2026" in appeal
    assert "expedited appeal" in appeal and "- Dr. Lee's letter" in appeal
    plan_docs = write_letter("claim-file", playbook, facts(playbook), "insurer")
    assert "summary plan" in plan_docs and "29 U.S.C. 1024(b)(4)" in plan_docs
    marketplace = write_letter("claim-file", playbook, facts(playbook, plan_type="marketplace"), "insurer")
    assert "1024(b)(4)" not in marketplace


def test_insurer_letters_belong_to_the_insurer() -> None:
    kinds = letter_kinds()
    assert all(kinds[k].applies_to("insurer") for k in INSURER_LETTERS)
    assert not kinds["appeal"].applies_to("hospital") and kinds["hold-request"].applies_to("hospital")
    assert kinds["itemized"].applies_to("insurer")  # no `for:`: every counterpart


def test_the_appeal_deadline_and_follow_ups_are_deadlines(playbook: Playbook) -> None:
    case = facts(playbook, claim_file_sent="2026-12-03", appeal_sent="2026-12-10")
    found = case_deadlines(case, "insurer", [], dt.date(2026, 12, 2))
    by_what = {d.what.split(" (")[0]: d for d in found}
    appeal = by_what["Appeal the denied claim CLM-77 by this date"]
    assert appeal.due == dt.date(2027, 4, 30) and "2560.503-1" in appeal.source
    assert by_what["Plan documents due from the plan administrator"].due == dt.date(2027, 1, 2)
    assert by_what["The insurer's decision on your appeal is due"].due == dt.date(2027, 2, 8)
    ics = to_ics([("case 1", d) for d in found], now=dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    assert "DTSTART;VALUE=DATE:20270430" in ics and "SUMMARY:Appeal the denied claim CLM-77" in ics


def test_a_provider_case_holding_the_claim_shows_the_appeal_deadline(playbook: Playbook) -> None:
    """One case, both sides: the hospital's bill and the insurer's claim."""
    found = case_deadlines(facts(playbook), "hospital", [], dt.date(2026, 12, 2))
    assert any(d.due == dt.date(2027, 4, 30) and "Appeal" in d.what for d in found)


def test_coach_deadlines_ics_has_the_appeal_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sets = [f"{k}={v}" for k, v in CASE.items()]
    args = ["case", "new", "--counterpart", "insurer", "--label", "ER claim"]
    assert main([*args, *[part for s in sets for part in ("--set", s)]]) == 0
    out = tmp_path / "dates.ics"
    assert main(["deadlines", "--ics", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "DTSTART;VALUE=DATE:20270430" in text and "Appeal the denied claim CLM-77" in text
    capsys.readouterr()
    assert main(["letter", "appeal", "--case", "1"]) == 0
    assert "I am appealing the denial of the claim above" in capsys.readouterr().out


# -- hearing and rehearsal -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("The claim was denied as not medically necessary", "denied_not_medically_necessary"),
        ("That provider is out of network, so it paid at the out-of-network rate", "denied_out_of_network"),
        ("It needed prior authorization and there was none on file", "denied_needs_prior_auth"),
        ("It's pending, we're waiting on medical records from the provider", "claim_in_review"),
        ("It was billed with the wrong diagnosis code; they need to send a corrected claim", "coding_error"),
        ("You'll need to file an appeal in writing", "appeal_in_writing"),
        ("Your reference number is R 55 12", "reference_given"),
        ("If this is about a bill, you'll need to talk to your provider", "provider_must_fix"),
        ("The provider has to fix that, not us", "provider_must_fix"),
    ],
)
def test_coach_hears_what_insurer_reps_say(line: str, intent: str) -> None:
    from coach.hearing.intents import hear

    heard = hear(line, "insurer")
    assert heard.intent == intent
    assert heard.reply and len(heard.reply.split()) <= 40


def test_sent_back_to_the_provider_the_reply_fits_who_said_it() -> None:
    from coach.hearing.intents import hear

    insurer = hear("You'll need to talk to your provider about that", "insurer")
    collector = hear("You'll need to talk to your provider about that", "collections")
    assert insurer.intent == collector.intent == "provider_must_fix"
    assert "claim" in insurer.reply and "claim" not in collector.reply


def test_the_insurer_intents_file_is_checked_with_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    folder = tmp_path / "dialogues"
    shutil.copytree(Path(__file__).resolve().parent.parent / "dialogues", folder)
    extra = folder / "hear" / "intents_insurer.yaml"
    text = extra.read_text(encoding="utf-8")
    text = text.replace(
        "  reference_given:",
        "  insurance_pending:\n    reply: Hi\n    patterns: [{re: 'x'}]\n  reference_given:",
    )
    text = text.replace(
        "      insurer: >-\n        What is it",
        "      pharmacy: Hello.\n      insurer: >-\n        What is it",
    )
    extra.write_text(text, encoding="utf-8")
    assert main(["check", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "intents_insurer.yaml:" in out
    assert "intent 'insurance_pending' is described in intents.yaml; give a new name" in out
    assert "'reply' variant for unknown counterpart 'pharmacy'" in out


def pick(call: Any, choice: str) -> Any:
    ids = [c.id for c in call.session.choices()]
    return call.submit(str(ids.index(choice) + 1))


@pytest.mark.parametrize(
    ("persona", "pushback"),
    [
        ("claims-rep", "The provider has to send a corrected claim first."),
        ("deflector", "The provider has to fix it."),
    ],
)
def test_rehearse_with_each_insurer_persona_to_document(
    playbook: Playbook, persona: str, pushback: str
) -> None:
    from coach.calls import CallRequest, open_call
    from coach.casefile.store import Store

    store = Store.open()
    try:
        case_id = store.create_case(facts(playbook), "ER claim", counterpart="insurer")
        call = open_call(
            store,
            playbook,
            CallRequest(mode="rehearse", case_id=case_id, persona=persona, difficulty="tough", seed=3),
        )
        assert call.counterpart == "insurer"
        opening = call.opening()
        assert opening is not None and opening.partner is not None
        said: list[str] = []
        for step in ("continue", "fix", "reprocess", "continue"):
            turn = pick(call, step)
            said += [turn.partner.text] if turn.partner else []
        assert any(pushback in line for line in said), said
        assert call.session.node.qid == "settle.insurer-answer"
        for _ in range(30):
            if call.session.view().finished:
                break
            call.submit(str(len(call.session.choices())))
        assert call.session.view().finished and call.session.node.qid == "document.get-help"
        call.finish()
    finally:
        store.close()


# -- one case, both sides ----------------------------------------------------------


def test_the_insurer_plan_shows_the_claim_and_the_providers_bill(playbook: Playbook) -> None:
    from coach.casefile.plan import as_text, build_plan

    case = facts(playbook, balance="2480", corrected_code="CPT 99213", emergency_care="yes")
    text = as_text(build_plan(playbook, case, "insurer", today=dt.date(2026, 12, 2)))
    assert text.startswith("Call plan: Acme Health, claim CLM-77")
    assert "Reason code: CO-16" in text and "Reprocess the claim with CPT 99213" in text
    assert "in-network share, under the No Surprises Act" in text
    assert "April 30, 2027 (149 days left): Appeal the denied claim CLM-77" in text
    assert "The other side of this case:\n  - creditor: St. Anne Regional Hospital" in text
    assert "balance: $2,480.00" in text and "Ask St. Anne Regional Hospital to hold the bill" in text
    assert "First offer" not in text and "itemized bill" not in text


def test_the_providers_plan_shows_the_insurers_claim(playbook: Playbook) -> None:
    from coach.casefile.plan import as_text, build_plan

    text = as_text(
        build_plan(playbook, facts(playbook, balance="2480"), "hospital", today=dt.date(2026, 12, 2))
    )
    assert text.startswith("Call plan: St. Anne Regional Hospital, account AC-558812")
    assert "The other side of this case:\n  - insurer name: Acme Health" in text
    assert "claim number: CLM-77" in text and "Ask for a hold while Acme Health reprocesses the claim" in text
    bill_only = {
        k: v for k, v in facts(playbook).items() if k in ("creditor", "account_number", "patient_name")
    }
    assert "The other side" not in as_text(build_plan(playbook, bill_only, "hospital"))


def test_the_review_shows_both_sides(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    from coach.calls import CallRequest, open_call
    from coach.casefile.store import Store

    store = Store.open()
    try:
        case_id = store.create_case(facts(playbook, balance="2480"), "ER claim", counterpart="hospital")
        for who in ("insurer", "hospital"):
            call = open_call(store, playbook, CallRequest(mode="live", case_id=case_id, counterpart=who))
            call.submit("/ref R-1")
            call.finish()
    finally:
        store.close()
    assert main(["review", "1", "--format", "text"]) == 0
    insurer_review = capsys.readouterr().out
    assert (
        "The other side of this case:\n  - Who: a hospital billing office\n  - creditor: St. Anne Regional Hospital"
        in insurer_review
    )
    assert main(["review", "2", "--format", "markdown"]) == 0
    assert (
        "## The other side of this case\n\n- Who: a health insurer\n- insurer name: Acme Health"
        in capsys.readouterr().out
    )


FIXES = ("in-network-share", "network-gap", "expedited", "external-review", "internal-appeal", "reprocess")
PUSHBACKS = ("provider-fix", "not-necessary", "needs-auth", "in-writing", "something-else")


@pytest.mark.parametrize("mode", ["live", "rehearse"])
def test_every_insurer_fix_and_pushback_reaches_document(playbook: Playbook, mode: str) -> None:
    """coach live/rehearse --counterpart insurer --case N: each ask, fix and pushback, on to the end."""
    from coach.calls import CallRequest, open_call
    from coach.casefile.store import Store

    case = facts(playbook, network_status="out-of-network", emergency_care="no", health_at_risk="yes")
    store = Store.open()
    try:
        case_id = store.create_case(case, "ER claim", counterpart="insurer")
        for fix in FIXES:
            for pushback in PUSHBACKS:
                call = open_call(
                    store, playbook, CallRequest(mode=mode, case_id=case_id, counterpart="insurer")
                )
                call.opening()
                pick(call, "continue")
                for ask in ("claim-status", "reason-code", "appeal-deadline", "network-check", "claim-file"):
                    pick(call, ask)
                    pick(call, "continue")
                    assert call.session.node.qid == "contact.insurer-asks"
                for step in ("fix", fix, "continue", "pushback", pushback):
                    assert (
                        call.submit(str([c.id for c in call.session.choices()].index(step) + 1)).kind
                        != "error"
                    )
                while not call.session.view().finished:
                    assert call.submit(str(len(call.session.choices()))).kind != "error"
                seen = {e.node for e in call.session.events}
                assert call.session.node.qid == "document.get-help"
                assert {"document.insurer-record", "document.provider-hold"} <= seen, (fix, pushback)
                call.finish()
    finally:
        store.close()


def test_the_case_card_on_an_insurer_call_shows_the_claim_first(playbook: Playbook) -> None:
    from coach.casefile.casecard import case_card_lines
    from coach.session.engine import Session

    session = Session(playbook, "insurer", facts(playbook, balance="2480"), mode="live", start="contact.open")
    lines = case_card_lines(session)
    assert lines[0] == "Acme Health · Claim CLM-77 · member ID ACM-1234 · code CO-16"
    assert lines[1].startswith("Appeal by April 30, 2027 (")
    assert not any(line.startswith("Offer ") for line in lines)  # no offer ladder with the insurer
    assert "Account AC-558812 · balance $2,480.00 · St. Anne Regional Hospital" in lines

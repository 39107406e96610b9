"""The call plan: everything a person needs before dialing, on one page.

Built from a case's facts alone (prepare saved them): who to call, the account
and balance, the opening, what to ask for in order, the three numbers with
their reasons, deadlines with days left, the warnings that apply, and what to
write down. Printed as text, Markdown or a one-page HTML sheet.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coach.casefile.actions import Letter, Namer, Text, parts, worded
from coach.casefile.casecard import days_left
from coach.dialogue import counterparts, render
from coach.dialogue.schema import Playbook
from coach.money.amounts import format_money
from coach.money.derive import OLD_DEBT_YEARS, debt_age_years, ladder_for, poverty_percent

FORMATS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Item:
    """One line of a section, with the reason or source behind it; either may point at a letter
    (coach.casefile.actions), which each front end words for itself."""

    text: Text
    why: Text = ""


@dataclass
class CallPlan:
    """A plan, as data; the formats below only lay it out."""

    title: str
    call: list[Item] = field(default_factory=list)  # who, number, account, balance
    opening: str = ""
    asks: list[Item] = field(default_factory=list)
    numbers: list[Item] = field(default_factory=list)
    deadlines: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)
    record: list[str] = field(default_factory=list)
    notes: list[Item] = field(default_factory=list)  # what prepare said along the way
    sides: list[Item] = field(default_factory=list)  # the side of the case not on this call
    missing: list[str] = field(default_factory=list)  # facts that would sharpen the plan

    def sections(self) -> list[tuple[str, list[Item]]]:
        return [
            ("Call", self.call),
            ("The other side of this case", self.sides),
            ("Warnings", self.warnings),
            ("Ask for, in this order", self.asks),
            ("Your numbers", self.numbers),
            ("Deadlines", self.deadlines),
            ("Write down during the call", [Item(r) for r in self.record]),
            ("Still unknown", [Item(m) for m in self.missing]),
            ("From your answers", self.notes),
        ]


def build_plan(
    playbook: Playbook,
    facts: dict[str, Any],
    counterpart: str,
    today: dt.date | None = None,
    notes: list[tuple[str, str]] | None = None,
) -> CallPlan:
    """The plan for these facts (typed values, as the Session holds them)."""
    today = today or dt.date.today()
    if counterparts.has(counterpart, "claims"):
        plan = _claim_plan(playbook, facts, counterpart, today)
    else:
        plan = _bill_plan(playbook, facts, counterpart, today)
    _other_side(plan, facts, counterpart)
    plan.notes = [Item(title, text) for title, text in (notes or []) if text]
    return plan


def _bill_plan(playbook: Playbook, facts: dict[str, Any], counterpart: str, today: dt.date) -> CallPlan:
    """The plan for a call with whoever bills: the hospital, the practice or a collector."""
    creditor = str(facts.get("creditor") or "the creditor on your bill")
    plan = CallPlan(
        title=f"Call plan: {creditor}"
        + (f", account {facts['account_number']}" if facts.get("account_number") else "")
    )
    plan.call.append(Item(f"Who: {creditor} ({counterparts.get(counterpart).the})"))
    if counterparts.has(counterpart, "debt-collector") and facts.get("original_creditor"):
        plan.call.append(Item(f"The bill started with: {facts['original_creditor']}"))
    plan.call.append(Item("Number: the one printed on your bill or letter, never one a caller gave you"))
    if facts.get("account_number"):
        plan.call.append(Item(f"Account number: {facts['account_number']}"))
    if isinstance(facts.get("balance"), Decimal):
        plan.call.append(Item(f"Balance they say you owe: {format_money(facts['balance'])}"))
    plan.opening = _opening(playbook, facts, counterpart)
    _warnings(plan, facts, counterpart)
    _asks(plan, facts, counterpart)
    _numbers(plan, facts, counterpart)
    _deadlines(plan, facts, counterpart, today)
    plan.record = [
        "The rep's name and ID (/rep, /repid) and a reference number (/ref)",
        "Every amount: theirs (/offer) and yours (/counter)",
        "What you agree, with its due date (/agreed 900 by 12/15)",
        "Every promise and date they give (/promise, /deadline)",
    ]
    for name in ("account_number", "balance", "creditor", "state", "annual_income", "household_size"):
        if name not in facts:
            plan.missing.append(playbook.facts[name].prompt)
    return plan


def _claim_plan(playbook: Playbook, facts: dict[str, Any], counterpart: str, today: dt.date) -> CallPlan:
    """The plan for a call with the insurer: the claim, its reason code, the fix to ask for, the appeal clock."""
    from coach.dialogue.appeals import appeal_route

    insurer = str(facts.get("insurer_name") or "your insurer")
    plan = CallPlan(
        title=f"Call plan: {insurer}"
        + (f", claim {facts['claim_number']}" if facts.get("claim_number") else "")
    )
    plan.call.append(Item(f"Who: {insurer} ({counterparts.get(counterpart).the})"))
    plan.call.append(Item("Number: member services, printed on your insurance card"))
    for name, label in (
        ("member_id", "Member ID"),
        ("claim_number", "Claim number"),
        ("reason_code", "Reason code"),
    ):
        if facts.get(name):
            plan.call.append(Item(f"{label}: {facts[name]}"))
    if facts.get("claim_status"):
        plan.call.append(Item(f"What the EOB says: {facts['claim_status']}"))
    route = appeal_route(facts)
    if route:
        plan.call.append(Item(f"Appeals go to: {route}", "the denial notice's own instructions win"))
    plan.opening = _opening(playbook, facts, counterpart)
    _warnings(plan, facts, counterpart)
    plan.warnings.append(
        Item(
            "Don't agree on the phone to drop or wait on an appeal: the deadline on the notice keeps running."
        )
    )
    plan.asks += [
        Item("The claim's status, and what it waits on if it is pending"),
        Item("What the reason code means, exactly, and the plan rule or guideline behind it"),
        Item("The last day to appeal, and the address or fax for appeals"),
        Item(
            ("The claim file and plan documents, free (", Letter("claim-file"), ")"),
            "29 CFR 2560.503-1(h)(2)(iii); 45 CFR 147.136(b)",
        ),
    ]
    if facts.get("corrected_code") or facts.get("network_status") == "in-network":
        fix = f" with {facts['corrected_code']}" if facts.get("corrected_code") else " in network"
        plan.asks.append(Item((f"Reprocess the claim{fix} (", Letter("reprocess"), ")")))
    if facts.get("emergency_care") or facts.get("network_status") == "out-of-network":
        plan.asks.append(
            Item("Only your in-network share, under the No Surprises Act", "45 CFR 149.110, 149.120")
        )
    if facts.get("network_status") == "out-of-network" and not facts.get("emergency_care"):
        plan.asks.append(Item("A network-gap exception, if no in-network provider could give this care"))
    if facts.get("health_at_risk"):
        plan.asks.append(
            Item("An urgent (expedited) appeal: decided within 72 hours", "29 CFR 2560.503-1(i)(2)(i)")
        )
    if facts.get("final_denial"):
        plan.asks.append(Item("An independent external review", "45 CFR 147.136(d)"))
    else:
        plan.asks.append(
            Item(("An internal appeal, in writing, before the deadline (", Letter("appeal"), ")"))
        )
    _deadlines(plan, facts, counterpart, today)
    plan.record = [
        "The rep's name and ID (/rep, /repid) and a reference number (/ref)",
        "What they promised, and by when (/promise, /deadline)",
        "The appeal deadline and the address or fax for appeals (/deadline, /note)",
        "The exact words they used about the reason code (/note)",
    ]
    for name in ("insurer_name", "member_id", "claim_number", "reason_code", "denial_date", "plan_type"):
        if name not in facts:
            plan.missing.append(playbook.facts[name].prompt)
    return plan


def _other_side(plan: CallPlan, facts: dict[str, Any], counterpart: str) -> None:
    """One case, both sides: what the case knows of the side not on this call, and the hold that links them."""
    from coach.casefile.sides import other_side

    side = other_side(facts, counterpart)
    if side is None:
        return
    plan.sides = [Item(line) for line in side.lines]
    if counterparts.has(counterpart, "claims"):
        who = facts.get("creditor") or "the provider"
        plan.sides.append(
            Item((f"Ask {who} to hold the bill while the claim is fixed (", Letter("hold-request"), ")"))
        )
    else:
        who = facts.get("insurer_name") or "the insurer"
        plan.sides.append(
            Item(
                (
                    f"Ask for a hold while {who} reprocesses the claim or the appeal is pending (",
                    Letter("hold-request"),
                    ")",
                )
            )
        )


def _opening(playbook: Playbook, facts: dict[str, Any], counterpart: str) -> str:
    node = playbook.nodes.get(playbook.call_start)
    source = node.phrase_source(counterpart) if node else None
    if source is None:
        return ""
    from coach.session.engine import Session

    session = Session(playbook, counterpart, facts, start=playbook.call_start)
    return render.render(source[1], session.context())


def _warnings(plan: CallPlan, facts: dict[str, Any], counterpart: str) -> None:
    if isinstance(facts.get("court_deadline"), dt.date):
        plan.warnings.append(
            Item(
                f"Court papers: answer by {render.date(facts['court_deadline'])}. Get legal aid or a lawyer "
                "before you pay or promise anything to end the case.",
                "coach is not a lawyer",
            )
        )
    age = debt_age_years(facts, counterpart)  # from the last payment where known
    if age is not None and age >= OLD_DEBT_YEARS:
        plan.warnings.append(
            Item(
                f"This debt is about {age} years old. Don't pay anything, promise to pay, or sign until you "
                "know your state's time limit to sue: in some states a payment or promise restarts it.",
                "time limits differ by state (often 3 to 6 years); check with legal aid",
            )
        )
    if counterparts.has(counterpart, "debt-collector"):
        plan.warnings.append(
            Item(
                "Don't confirm the debt is yours, and never give card, bank or Social Security numbers on the call."
            )
        )


def _asks(plan: CallPlan, facts: dict[str, Any], counterpart: str) -> None:
    percent = poverty_percent(facts, counterpart)
    rule = _state_rule(facts, percent)
    if rule is not None and rule.get("tier"):
        plan.asks.append(
            Item(
                f"Financial assistance first: under {rule['name']}, {rule['text']}. Ask for the application.",
                rule["source"],
            )
        )
    elif percent is not None and percent <= 400 and not counterparts.lacks(counterpart, "charity-care"):
        plan.asks.append(
            Item(
                f"Financial assistance first: your income is about {percent}% of the poverty guideline, where "
                "many hospitals give free or discounted care. Ask for the policy and the application.",
                "26 U.S.C. 501(r) (nonprofit hospitals must have a written policy)",
            )
        )
    if counterparts.has(counterpart, "debt-collector"):
        plan.asks.append(
            Item("Who they are, and who owns the debt now; the validation notice if you lack it")
        )
    if facts.get("has_itemized") is not True:
        plan.asks.append(Item("An itemized bill: every charge with its date, code and amount"))
    if facts.get("insured") and facts.get("has_eob_match") is False:
        plan.asks.append(
            Item("A hold while the insurer reprocesses the claim (the bill doesn't match the EOB)")
        )
    if facts.get("surprise_bill"):
        plan.asks.append(Item("Your in-network share only, under the No Surprises Act", "45 CFR part 149"))
    goal = facts.get("goal")
    if goal == "monthly-plan" and isinstance(facts.get("monthly_budget"), Decimal):
        plan.asks.append(Item(f"An interest-free plan at {format_money(facts['monthly_budget'])} a month"))
    elif isinstance(facts.get("balance"), Decimal):
        plan.asks.append(Item("A lump-sum settlement at your opening number, in writing before you pay"))
    if counterparts.has(counterpart, "debt-collector"):
        plan.asks.append(
            Item("That a paid account be deleted from your credit reports (pay-for-delete), in writing")
        )


def _state_rule(facts: dict[str, Any], percent: Decimal | None) -> dict[str, Any] | None:
    if percent is None or not facts.get("state") or not facts.get("annual_income"):
        return None
    from coach.errors import CoachError
    from coach.money.eligibility import estimate

    try:
        return estimate(int(facts["household_size"]), facts["annual_income"], str(facts["state"])).state_rule
    except (CoachError, KeyError, ValueError):
        return None


def _numbers(plan: CallPlan, facts: dict[str, Any], counterpart: str) -> None:
    ladder = ladder_for(facts, counterpart)
    if ladder is None:
        plan.missing.append("The balance (for your offer numbers)")
        return
    names = ("First offer", "Target", "If they move too", "Walk-away")
    for name, step in zip(names, ladder.steps, strict=False):
        plan.numbers.append(Item(f"{name}: {format_money(step.amount)}", step.reason))
    if isinstance(facts.get("monthly_budget"), Decimal):
        plan.numbers.append(
            Item(
                f"Most a month: {format_money(facts['monthly_budget'])}",
                "what you said you can pay each month",
            )
        )


def _deadlines(plan: CallPlan, facts: dict[str, Any], counterpart: str, today: dt.date) -> None:
    from coach.casefile.deadlines import case_deadlines

    for deadline in sorted(case_deadlines(facts, counterpart, [], today), key=lambda d: d.due or today):
        if deadline.due is None:
            continue
        plan.deadlines.append(
            Item(
                (f"{render.date(deadline.due)} ({days_left(deadline.due, today)}): ", *parts(deadline.words)),
                deadline.source,
            )
        )


# -- formats ---------------------------------------------------------------------


def _namer(name: Namer | None) -> Namer:
    """The wording of the letters a plan points at: the given front end's, else the command line's."""
    if name is not None:
        return name
    from coach.casefile.export import command

    return command


def as_text(plan: CallPlan, name: Namer | None = None) -> str:
    """The plan as plain text; ``name`` words its letters (default: as the command line runs them)."""
    say = _namer(name)
    lines = [plan.title, "=" * len(plan.title)]
    if plan.opening:
        lines += ["", "Open with:", f'  "{plan.opening}"']
    for title, items in plan.sections():
        if not items:
            continue
        lines += ["", f"{title}:"]
        for item in items:
            lines.append(f"  - {worded(item.text, say)}")
            if item.why:
                lines.append(f"      ({worded(item.why, say)})")
    lines += ["", "coach is not a lawyer. If you have been sued, get legal aid or a lawyer."]
    return "\n".join(lines)


def as_markdown(plan: CallPlan, name: Namer | None = None) -> str:
    from coach.casefile.export import md as md_escape

    say = _namer(name)
    lines = [f"# {md_escape(plan.title)}"]
    if plan.opening:
        lines += ["", "**Open with:**", "", f"> {md_escape(plan.opening)}"]
    for title, items in plan.sections():
        if not items:
            continue
        lines += ["", f"## {title}", ""]
        for item in items:
            text, why = worded(item.text, say), worded(item.why, say)
            lines.append(f"- {md_escape(text)}" + (f" *({md_escape(why)})*" if why else ""))
    lines += ["", "*coach is not a lawyer. If you have been sued, get legal aid or a lawyer.*"]
    return "\n".join(lines)


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: letter; margin: 0.5in; }}
body {{ font: 10.5pt/1.3 system-ui, sans-serif; max-width: 7.5in; margin: 0 auto; }}
h1 {{ font-size: 14pt; margin: 0 0 4pt; }} h2 {{ font-size: 11pt; margin: 8pt 0 2pt; }}
ul {{ margin: 0; padding-left: 14pt; }} li {{ margin: 1pt 0; }} .why {{ color: #555; font-size: 9pt; }}
blockquote {{ font-size: 12pt; margin: 4pt 0; padding: 4pt 8pt; border-left: 3pt solid #333; }}
</style></head><body>
<h1>{title}</h1>
{body}
<p class="why">coach is not a lawyer. If you have been sued, get legal aid or a lawyer.</p>
</body></html>
"""


def as_html(plan: CallPlan, name: Namer | None = None) -> str:
    """One printed page: compact type, reasons in small print, the long notes left to the screen."""
    esc, say = html.escape, _namer(name)
    body: list[str] = []
    if plan.opening:
        body.append(f"<blockquote>{esc(plan.opening)}</blockquote>")
    for title, items in plan.sections():
        if not items or title == "From your answers":
            continue
        body.append(f"<h2>{esc(title)}</h2><ul>")
        for item in items:
            why = f' <span class="why">({esc(worded(item.why, say))})</span>' if item.why else ""
            body.append(f"<li>{esc(worded(item.text, say))}{why}</li>")
        body.append("</ul>")
    return _PAGE.format(title=esc(plan.title), body="\n".join(body))


def formatted(plan: CallPlan, kind: str, name: Namer | None = None) -> str:
    return {"text": as_text, "markdown": as_markdown, "html": as_html}[kind](plan, name)

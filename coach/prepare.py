"""Prepare a case, once, before any call: triage and assess, every answer saved to the case as given.

Prepare walks the playbook's first stage with a ``prepare`` Session. It stops
only where the user has something to decide or type: a question whose fact is
already known is passed with its answer kept, a choice whose ``set`` matches
known facts is taken, and a step that only informs is passed with its text
kept for the call plan (nothing it says is lost). It ends when the walk leaves
the stage: the plan (:mod:`coach.casefile.plan`) follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from coach.casefile.store import Store
from coach.dialogue.facts import facts_from_json, parse_fact
from coach.dialogue.schema import Node, Playbook
from coach.errors import CoachError
from coach.session.engine import Session, View
from coach.session.events import Event
from coach.session.payloads import FactData

StepKind = Literal["asked", "done", "help", "error", "stopped"]
MAX_AUTO_STEPS = 500  # a loop guard: a playbook that cycles through known answers forever is a bug


@dataclass(frozen=True)
class Passed:
    """A step passed without a question: its title and guidance, for the plan."""

    node: str
    title: str
    text: str


@dataclass(frozen=True)
class Step:
    """What one typed line did in prepare."""

    kind: StepKind
    message: str = ""


class Preparation:
    """One case being prepared. Facts go to the case the moment they are given."""

    def __init__(
        self, store: Store, playbook: Playbook, case_id: int, counterpart: str | None = None
    ) -> None:
        case = store.case(case_id)
        self.store = store
        self.playbook = playbook
        self.case_id = case_id
        from coach.calls import infer_counterpart

        self.counterpart = counterpart or case.counterpart or infer_counterpart(case.facts)
        if self.counterpart not in playbook.counterparts:
            raise CoachError(
                f"'{self.counterpart}' is not one of {', '.join(playbook.counterparts)}", field="counterpart"
            )
        self.stage = playbook.nodes[playbook.start].stage
        self.passed: list[Passed] = []
        self.questions = 0  # how many times the user was asked something (reported by benchmarks and notes)
        self._stops: list[str] = []  # the nodes where the user was asked, for /back
        self.stopped = False
        self.session = Session(
            playbook,
            self.counterpart,
            facts_from_json(case.facts, playbook),
            mode="prepare",
            sink=self._save,
            start=playbook.start,
        )
        if case.counterpart != self.counterpart:
            store.set_case_counterpart(case_id, self.counterpart)
        self._advance()

    def _save(self, event: Event) -> None:
        """A fact is the case's the moment it is given; the walk itself is not a call and is not kept."""
        fact = event.payload
        if isinstance(fact, FactData) and fact.name is not None:
            self.store.set_case_facts(self.case_id, {fact.name: fact.value})
            if fact.name in ("creditor", "account_number"):
                self.store.name_untitled_case(self.case_id)

    # -- where we are --------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.stopped or self.session.node.stage != self.stage or self.session.view().finished

    def view(self) -> View:
        return self.session.view()

    @property
    def facts(self) -> dict[str, Any]:
        return self.session.facts

    # -- walking -------------------------------------------------------------------

    def _advance(self) -> None:
        """Pass every step that needs nothing from the user; stop at the next real question."""
        for _ in range(MAX_AUTO_STEPS):
            if self.done:
                return
            node = self.session.node
            view = self.session.view()
            if self.session.asking(node):
                assert node.ask is not None
                if node.ask in self.session.facts:
                    self.session.skip()
                    continue
                break
            known = self._known_choice(node)
            if known is not None:
                self.session.choose(known)
                continue
            if node.branches:  # says something, asks nothing: keep its words for the plan
                if view.coach or view.title:
                    self.passed.append(Passed(node.qid, view.title, view.coach))
                self.session.choose(1)
                continue
            break
        else:
            raise CoachError(
                f"prepare went round {MAX_AUTO_STEPS} steps without a question: check the playbook"
            )
        if not self._stops or self._stops[-1] != self.session.node.qid:
            self._stops.append(self.session.node.qid)
            self.questions += 1

    def _known_choice(self, node: Node) -> str | None:
        """A choice that only records facts already known with those values (so it need not be asked)."""
        facts = self.session.facts
        open_ids = {c.id for c in self.session.choices()}
        for choice in node.choices:
            if (
                choice.id in open_ids
                and choice.sets
                and all(
                    name in facts and facts[name] == parse_fact(self.playbook.facts[name], value)
                    for name, value in choice.sets
                )
            ):
                return choice.id
        return None

    def submit(self, line: str) -> Step:
        """Apply one typed line: an answer, a number for a choice, Enter to skip, or a /command."""
        try:
            return self._submit(line.strip())
        except CoachError as error:
            return Step("error", " ".join(str(error).split()))

    def _submit(self, text: str) -> Step:
        if self.done:
            raise CoachError("this case is prepared; see the plan")
        session = self.session
        if text.startswith("/"):
            return self._command(text[1:])
        view = session.view()
        choices = view.choices
        if view.ask is not None and not choices:  # a typed answer: digits are the answer here
            if text == "":
                session.skip()
            else:
                session.answer(text)
        elif text == "" and len(choices) == 1:
            session.choose(1)
        elif text.isdecimal() and text.isascii():
            session.choose(int(text))
        elif choices and (match := _choice_by_word(text, [c.label for c in choices])):
            session.choose(match)
        else:
            raise CoachError(f"type a number from 1 to {len(choices)}" if choices else "type an answer")
        self._advance()
        return Step("done" if self.done else "asked")

    def _command(self, body: str) -> Step:
        name, _, arg = body.partition(" ")
        name = name.lower()
        if name in ("back", "undo"):
            self._back()
            return Step("asked", "went back one question")
        if name in ("end", "stop"):
            self.stopped = True
            return Step("stopped", "stopped; every answer so far is saved to the case")
        if name == "set":
            fact, _, value = arg.strip().partition(" ")
            if not fact or not value.strip():
                raise CoachError("/set: type a fact and a value, like /set balance 2400")
            self.session.set_fact(fact, value)
            self._advance()
            return Step("asked", f"saved: {fact}")
        if name == "help":
            return Step(
                "help",
                "  type the answer + Enter · Enter alone skips a question you can't answer yet\n"
                "  NUMBER picks a choice · /back the question before · /set FACT VALUE · /stop",
            )
        raise CoachError(f"/{name}: unknown command here (type /help)")

    def _back(self) -> None:
        if len(self._stops) < 2:
            raise CoachError("this is the first question")
        self._stops.pop()
        target = self._stops[-1]
        for _ in range(MAX_AUTO_STEPS):
            self.session.undo()
            if self.session.node.qid == target:
                return
        raise CoachError("could not go back")


def _choice_by_word(text: str, labels: list[str]) -> int | None:
    """ "yes" / "no" / an option typed as a word picks that choice."""
    wanted = text.lower()
    found = [i for i, label in enumerate(labels, 1) if label.lower() == wanted]
    return found[0] if len(found) == 1 else None

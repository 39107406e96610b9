"""The ``coach`` command: one argparse front door, each subcommand in its own module.

A subcommand's module is imported only when that subcommand runs, so
``coach check`` never pays for Textual and ``coach --help`` stays instant.
Every subcommand module exposes::

    def add_arguments(parser: argparse.ArgumentParser) -> None: ...
    def run(args: argparse.Namespace) -> int: ...

A :class:`~coach.errors.CoachError` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from coach import __version__
from coach.errors import CoachError


@dataclass(frozen=True)
class Subcommand:
    """A subcommand's name, its one-line help, and the module that implements it."""

    name: str
    help: str
    module: str
    records: bool = False  # saves as the user goes: an error can say that nothing recorded is lost


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("home", "open the app's home screen (the default)", "coach.cli.app", records=True),
    Subcommand(
        "prepare",
        "once per case, before any call: what you owe, your rights, your numbers",
        "coach.cli.prepare",
        records=True,
    ),
    Subcommand("plan", "print a prepared case's call plan (text, Markdown, one-page HTML)", "coach.cli.plan"),
    Subcommand(
        "rehearse",
        "practise a call: coach plays the billing office or collector",
        "coach.cli.call",
        records=True,
    ),
    Subcommand(
        "live", "coach sits beside a real call and records everything", "coach.cli.call", records=True
    ),
    Subcommand(
        "review", "look back at a saved call: timeline, what was agreed, what is due", "coach.cli.review"
    ),
    Subcommand("hear", "what a line from the other side means and what to say back", "coach.cli.hear"),
    Subcommand("check", "validate dialogue files; every problem as path:line: message", "coach.cli.check"),
    Subcommand(
        "sources", "the public sources behind a step of the dialogue or a letter", "coach.cli.sources"
    ),
    Subcommand("graph", "print the dialogue as a mermaid state diagram", "coach.cli.graph"),
    Subcommand("case", "create, list, show, edit, export and import case files", "coach.cli.case"),
    Subcommand("letter", "write a letter (itemized bill, validation, settlement, ...)", "coach.cli.letter"),
    Subcommand(
        "deadlines", "dates that matter for a case, optionally as an .ics calendar", "coach.cli.deadlines"
    ),
    Subcommand(
        "eligibility",
        "estimate financial-assistance eligibility from income and household",
        "coach.cli.eligibility",
    ),
    Subcommand(
        "bill-check",
        "look for errors in an itemized bill (CSV), optionally against an EOB",
        "coach.cli.billcheck",
    ),
    Subcommand("serve", "serve the app to a browser on this machine (loopback only)", "coach.cli.serve"),
    Subcommand("locate", "print where coach keeps its data", "coach.cli.locate"),
    Subcommand("verify", "check the case file for damage now and say what was found", "coach.cli.verify"),
)


def _available(sub: Subcommand) -> bool:
    """A subcommand is listed once its module exists (features land one by one)."""
    return importlib.util.find_spec(sub.module) is not None


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; only the ``selected`` subcommand's module is imported.

    With a subcommand selected, only its sub-parser is built: every one of the others cost argparse a
    parser of its own (about 9 ms of a start that should feel instant), and none of them can be
    reached from this command line. Without one (``coach --help``, a mistyped command) all are listed."""
    parser = _Parser(
        prog="coach",
        description="A negotiation coach for US medical bills: rehearse a call, "
        "get help during a live call, and review what was agreed. "
        "coach is not a lawyer; it says when you need one.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for sub in SUBCOMMANDS:
        if (selected is not None and sub.name != selected) or not _available(sub):
            continue
        sub_parser = subparsers.add_parser(sub.name, help=sub.help, description=sub.help)
        sub_parser.set_defaults(_module=sub.module)
        if sub.name == selected:
            module = importlib.import_module(sub.module)
            module.add_arguments(sub_parser)
    return parser


def _saved_note(command: str | None) -> str:
    """Say that what was recorded is safe only where something was being recorded."""
    records = any(sub.records for sub in SUBCOMMANDS if sub.name == command)
    return "; everything recorded so far is saved" if records else ""


class _Parser(argparse.ArgumentParser):
    """argparse, with its error line escaped: it quotes the user's own arguments back to the terminal."""

    def error(self, message: str) -> NoReturn:
        from coach.termtext import printable

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def said(error: CoachError) -> str:
    """An error as the command line says it: the input's flag first (``--case: …``, from ``str``),
    and the command line's own way to fix it where the core leaves that to each front end."""
    from coach.casefile.letters import MissingFacts
    from coach.casefile.safewrite import AlreadyExists

    if isinstance(error, AlreadyExists):
        return f"{error.shown}: already exists; add --force to replace it (nothing written)"
    if isinstance(error, MissingFacts):
        how = (
            f"coach case edit {error.case_id} --set name=value"
            if error.case_id
            else "--set name=value, or --case ID"
        )
        return f"{error.message} (set with: {how})"
    return str(error)


def main(argv: Sequence[str] | None = None) -> int:
    """Run coach; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    names = {sub.name for sub in SUBCOMMANDS}
    selected = next((a for a in args_list if not a.startswith("-")), None)
    if selected is None and not {"-h", "--help", "--version"} & set(args_list):
        args_list = ["home", *args_list]
        selected = "home"
    parser = build_parser(selected if selected in names else None)
    args = parser.parse_args(args_list)
    module = importlib.import_module(args._module)
    try:
        return int(module.run(args) or 0)
    except CoachError as error:
        from coach.termtext import printable

        print(f"coach: {printable(said(error), keep_lines=True)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"coach: interrupted{_saved_note(selected)}.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line, not a traceback; COACH_DEBUG=1 shows it
        if os.environ.get("COACH_DEBUG"):
            raise
        print(
            f"coach: internal error ({type(error).__name__}: {error}){_saved_note(selected)}. "
            "Run with COACH_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1


def entry_point() -> None:
    """Console-script entry: exit with main()'s code."""
    sys.exit(main())

"""``fptheory report``: the whole chapter in one document (LaTeX, PDF, summary.json).

Runs the proof checks (``proofs/``) and the numeric studies (``numerics/``), writes
DIR/report.tex, DIR/figures/, DIR/summary.json and compiles DIR/report.pdf when TeX
is installed (see :mod:`fptheory.report.document`).

Exit codes: 0 everything holds and ran; 1 the report was written but a claim is not
established, a proof script failed to import or a study failed; 2 bad input; 4 the
LaTeX compile failed (the relevant log lines are printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import LocalExecutor

from . import _validate as V
from ._progress import Reporter, add_quiet, claim_outcome, study_outcome
from ._scheduler import add_scheduler, executor_from

__all__ = ["register"]

COMPILE_FAILED = 4


def _default_folder(name: str, fallback: Path) -> Path | None:
    local = Path.cwd() / name
    if local.is_dir():
        return local
    return fallback if fallback.is_dir() else None


def _handler(args: argparse.Namespace) -> int:
    from fptheory.report.collect import PROOFS_DIR
    from fptheory.report.document import build_report
    from fptheory.report.studies import NUMERICS_DIR

    if args.jobs is not None:
        V.int_range(args.jobs, "--jobs", 1, 256)
    V.positive_float(args.study_timeout, "--study-timeout")
    V.nonnegative_int(args.seed, "--seed")
    V.writable_dir(args.out, "--out")
    if args.snippets is not None:
        V.writable_dir(args.snippets, "--snippets")
    proofs = args.proofs or [_default_folder("proofs", PROOFS_DIR)]
    if proofs[0] is None:
        raise FPTheoryError("no proofs/ folder found; pass --proofs PATH")
    if args.no_numerics:
        numerics = None
    elif args.numerics:
        numerics = Path(args.numerics)
    else:
        numerics = _default_folder("numerics", NUMERICS_DIR)
    size = "paper" if args.paper else "quick"
    command = (f"fptheory report --{size} --seed {args.seed}"
               + (" --no-numerics" if args.no_numerics else "")
               + (" --no-pdf" if args.no_pdf else "")
               + (f" --snippets {args.snippets}" if args.snippets is not None else ""))
    from fptheory.report.studies import study_scripts

    n_studies = len(study_scripts(numerics)) if numerics is not None else 0
    with executor_from(args, args.jobs or 1, "--jobs") as executor, \
            Reporter("fptheory report", quiet=args.quiet) as progress:
        remote = not isinstance(executor, LocalExecutor)
        progress.line(f"fptheory report: proof checks ({', '.join(map(str, proofs))})"
                      + (f" and {n_studies} numeric studies ({numerics}, --{size})" if numerics else "")
                      + (f" on {executor.describe()}" if remote else "") + f"; writing {args.out}/")

        def finished(result, done: int, total: int) -> None:
            if hasattr(result, "label"):
                progress.step(done, total, f"claim {result.label}", claim_outcome(result), result.seconds)
            else:
                progress.step(done, total, f"study {result.name}", study_outcome(result), result.seconds)

        build = build_report(args.out, size=size, seed=args.seed, proofs=proofs,
                             numerics=numerics, pdf=not args.no_pdf,
                             study_timeout=args.study_timeout, jobs=args.jobs, command=command,
                             progress=progress.status, finished=finished,
                             executor=executor if remote else None, snippets=args.snippets)
        progress.line(f"fptheory report: done in {progress.elapsed:.0f} s; written to {build.out_dir}/")
    summary = build.to_dict()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_summary(build, summary, numerics is not None)
    if build.compile is not None and not build.compile.ok and build.compile.tool is not None:
        return COMPILE_FAILED
    return 0 if build.complete else 1


def _print_summary(build, summary, numerics_run: bool) -> None:
    s = summary["summary"]
    sampled = s.get("sampled_as_declared", [])
    print(f"claims:   {s['claims']} checked, {s['holding']} hold (proved/certified), "
          + (f"{len(sampled)} sampled as declared ({', '.join(sampled)}), " if sampled else "")
          + f"{s['errata']} errata, {len(s['not_holding'])} not established"
          + (f": {', '.join(s['not_holding'])}" if s["not_holding"] else ""))
    for e in build.script_errors:
        print(f"          proof script {e.script} not run: {e.reason}")
    if numerics_run:
        st = s["studies"]
        print(f"numerics: {len(build.studies)} studies: {len(st['ok'])} ran, "
              f"{len(st['failed'])} failed, {len(st['skipped'])} skipped"
              + (f"; the text's prediction fails in: {', '.join(s['predictions_not_holding'])}"
                 if s["predictions_not_holding"] else ""))
        for study in build.studies:
            line = f"          {study.name:<20} {study.status:<8} {study.seconds:6.1f}s  "
            if study.status == "ok" and study.result is not None:
                line += str(study.result.get("verdict", ""))
            else:
                line += study.reason
            print(line)
    else:
        print("numerics: not run (--no-numerics)")
    print(f"written:  {build.tex}, {build.out_dir / 'summary.json'}, "
          f"{len(list((build.out_dir / 'figures').glob('*')))} figures")
    if build.snippets is not None:
        print(f"snippets: {len(build.snippets) - 1} LaTeX fragments (one per claim) and "
              f"{build.snippets[-1]}, which \\inputs them all")
    if build.compile is None:
        print("pdf:      not compiled (--no-pdf)")
    elif build.compile.ok:
        print(f"pdf:      {build.compile.message}")
    else:
        print(f"pdf:      {build.compile.message}", file=sys.stderr)
        for line in build.compile.log:
            print(f"    {line}", file=sys.stderr)
    print(f"time:     {build.seconds:.0f} s")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="run every proof check and numeric study; write report.tex/.pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run the chapter's proof checks (proofs/) and numeric studies (numerics/),\n"
                    "write DIR/report.tex, DIR/figures/, DIR/summary.json and compile\n"
                    "DIR/report.pdf with latexmk or pdflatex when installed (DIR: fptheory-report/\n"
                    "in the current folder unless --out). A line per claim and per study goes to\n"
                    "stderr as each finishes. Exit 0 when everything holds and ran, 1 when a claim\n"
                    "is not established or a script or study failed, 4 when LaTeX failed.",
        epilog="examples:\n"
               "  fptheory report                           # --quick sizes, a few minutes\n"
               "  fptheory report --no-numerics --no-pdf --snippets tex/\n"
               "        # the proof checks only, no TeX needed; tex/: a LaTeX fragment per claim\n"
               "  fptheory report --out my-report --jobs 2 --json --quiet > summary.json")
    p.add_argument("--out", default="fptheory-report", metavar="DIR",
                   help="output folder (default: fptheory-report in the current folder)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true",
                      help="small study sizes, a few minutes (the default)")
    size.add_argument("--paper", action="store_true", help="the full sizes of the chapter's figures")
    p.add_argument("--seed", type=int, default=0, help="seed passed to every study (default 0)")
    p.add_argument("--no-pdf", action="store_true", help="write report.tex but do not compile it")
    p.add_argument("--no-numerics", action="store_true", help="skip the numeric studies")
    p.add_argument("--proofs", action="append", metavar="PATH",
                   help="proof script or folder (repeatable; default: proofs/)")
    p.add_argument("--numerics", metavar="DIR", help="folder of numeric studies (default: numerics/)")
    p.add_argument("--study-timeout", type=float, default=900.0, metavar="SECONDS",
                   help="a study running longer is stopped and reported failed (default 900)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="processes at once (proof checks + studies; default: CPU count, at "
                        "most 8)")
    add_scheduler(p, "the proof checks and the studies (scripts shipped as source text, the "
                     "studies' figures sent back)")
    p.add_argument("--snippets", metavar="DIR",
                   help="also write, for each claim, a LaTeX fragment to paste into a text "
                        "(the verified statement as an equation with the chapter's number, "
                        "its conditions, a proof paragraph; an erratum's text form as a "
                        "comment) and DIR/snippets.tex that \\inputs them all")
    p.add_argument("--json", action="store_true", help="print summary.json's object on stdout")
    add_quiet(p)
    p.set_defaults(func=_handler)

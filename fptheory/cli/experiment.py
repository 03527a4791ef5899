"""``fptheory experiment``: the chapter's torch experiments (§1.1.1-§1.2) from the command line.

    fptheory experiment NAME [--quick|--paper] [--seeds N] [--device cpu|cuda] [--out DIR] [--json] [--quiet]
    fptheory experiment --list

torch is imported only when an experiment runs; without it the command prints one line
naming ``pip install 'fptheory[torch]'`` and exits 2. The exit code is 0 when the
experiment ran (its verdict, whatever it is, is the result), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import scheduler_address

from . import _validate as V
from ._progress import OUTPUT_DIR, add_quiet
from ._scheduler import add_scheduler, executor_from

#: Where an experiment writes NAME.png and NAME.json unless --out (relative to the current folder).
DEFAULT_OUT = OUTPUT_DIR / "experiment"

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "experiment", help="run a frequency-principle experiment in small torch nets",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train small torch networks over several seeds and test one of the chapter's\n"
                    "predictions (§1.1.1-§1.2); print the measurements per seed and the verdict,\n"
                    f"and write NAME.png and NAME.json to {DEFAULT_OUT}/ in the current folder\n"
                    "(--out DIR to choose). Progress goes to stderr. Needs torch.",
        epilog="examples:\n"
               "  fptheory experiment --list\n"
               "  fptheory experiment tanh-ordering\n"
               "  fptheory experiment ricker --seeds 2 --out my-runs --json --quiet")
    p.add_argument("name", nargs="?", help="experiment name (see --list)")
    p.add_argument("--list", action="store_true", help="list the experiments and their predictions")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="size", action="store_const", const="quick",
                      help="small sizes (seconds; the default)")
    size.add_argument("--paper", dest="size", action="store_const", const="paper",
                      help="the sizes of the README figures (minutes)")
    p.set_defaults(size="quick")
    p.add_argument("--seeds", type=int, default=None, help="number of seeds (default: 3 quick, 5 paper)")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="torch device (default cpu)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"folder for NAME.png and NAME.json (default: {DEFAULT_OUT} in the "
                        "current folder)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes over the seeds (default 1: this process)")
    add_scheduler(p, "the seeds")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_quiet(p)
    p.set_defaults(func=_handler)


def _handler(args: argparse.Namespace) -> int:
    from fptheory.nets.experiments import CONFIGS, EXPERIMENTS, run_experiment, total_epochs

    if args.list:
        rows = [{"name": s.name, "title": s.title, "chapter": s.chapter, "prediction": s.prediction,
                 "study": f"numerics/{s.study}.py", "sizes": sorted(CONFIGS[s.name])}
                for s in EXPERIMENTS.values()]
        if args.json:
            print(json.dumps({"experiments": rows}, indent=2))
        else:
            for r in rows:
                print(f"{r['name']:<15} {r['chapter']:<32} {r['prediction']}")
        return 0
    if not args.name:
        raise FPTheoryError("name an experiment (fptheory experiment --list shows them)")
    if args.name not in EXPERIMENTS:
        raise FPTheoryError(f"unknown experiment {args.name!r}; available: {', '.join(EXPERIMENTS)}")
    if args.seeds is not None and not 1 <= args.seeds <= 50:
        raise FPTheoryError(f"--seeds must be from 1 to 50 (got {args.seeds})")
    if args.seed < 0:
        raise FPTheoryError(f"--seed must be >= 0 (got {args.seed})")
    V.int_range(args.workers, "--workers", 1, 256)
    V.writable_dir(args.out if args.out is not None else DEFAULT_OUT, "--out")
    total = total_epochs(args.name, args.size, args.seeds)
    from fptheory.nets.mlp import resolve_device

    remote = scheduler_address(args.scheduler) is not None
    # torch missing or no CUDA: the one-line error before any progress (the GPUs of a
    # cluster are the workers', not this machine's)
    resolve_device("cpu" if remote else args.device)
    out_dir = Path(args.out) if args.out is not None else DEFAULT_OUT
    kwargs: dict[str, Any] = {"seeds": args.seeds, "base_seed": args.seed, "device": args.device,
                              "out_dir": out_dir}
    with executor_from(args, args.workers) as executor:
        if not args.quiet and (args.workers > 1 or remote):
            print(f"fptheory experiment: seeds on {executor.describe()}", file=sys.stderr)
        result = _run_with_progress(run_experiment, args, total, kwargs)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        if not args.quiet:
            print(f"fptheory experiment: figure and JSON written to {out_dir}/", file=sys.stderr)
        return 0
    _print(result.to_dict())
    return 0


def _run_with_progress(run_experiment, args: argparse.Namespace, total: int, kwargs: dict[str, Any]):
    """The experiment with a bar in a terminal, or a line per tenth of the epochs otherwise."""
    import time

    start = time.perf_counter()
    label = f"{args.name} ({args.size}, {args.device})"
    if args.quiet:
        return run_experiment(args.name, args.size, **kwargs)
    print(f"fptheory experiment: {label}: {total} epochs in all; writing to {kwargs['out_dir']}/",
          file=sys.stderr, flush=True)
    if not sys.stderr.isatty():
        done, shown = [0], [0]

        def tick(n: int) -> None:
            done[0] += n
            tenth = done[0] * 10 // max(total, 1)
            if tenth > shown[0]:
                shown[0] = tenth
                print(f"[{done[0]}/{total}] epochs of {label} ({time.perf_counter() - start:.1f} s)",
                      file=sys.stderr, flush=True)

        return run_experiment(args.name, args.size, progress=tick, **kwargs)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} epochs"), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        result = run_experiment(args.name, args.size, progress=lambda n: bar.advance(task, n), **kwargs)
    print(f"fptheory experiment: {label}: {total} epochs in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return result


def _print(d: dict[str, Any]) -> None:
    print(f"{d['experiment']}: {d['title']} [{d['chapter']}], size {d['size']}, device {d['device']}, "
          f"seeds {d['seeds'][0]}..{d['seeds'][-1]}, {d['elapsed_s']:.1f} s")
    print(f"prediction: {d['prediction']}")
    for row in d["per_seed"]:
        shown = {k: v for k, v in row.items() if k not in ("seed", "labels", "agrees")}
        print(f"  seed {row['seed']}: agrees={row.get('agrees')}  " + "  ".join(
            f"{k}={_short(v)}" for k, v in shown.items()))
    print(f"verdict: {d['verdict']}")
    print(f"prediction_holds: {d['prediction_holds']} ({d['seeds_agreeing']}/{d['seeds_total']} seeds agree)")
    for path in d["figures"]:
        print(f"figure: {path}")
    if d.get("json"):
        print(f"json:   {d['json']}")


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_short(x)}" for k, x in v.items()) + "}"
    return str(v)

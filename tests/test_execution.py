"""The execution layer: local processes and a real Dask cluster give the same answers.

The cluster test starts a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1,
runs ``fptheory check`` and ``fptheory measure --delta-range`` through them, compares with
the local runs, then kills a worker in the middle of a run and checks that every task still
comes back (Dask re-runs the lost ones on the survivor), and shuts everything down.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fptheory.cli import main
from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import (
    SCHEDULER_ENV,
    TIMEOUT_ENV,
    DaskExecutor,
    LocalExecutor,
    Task,
    TaskFailedError,
    TaskFailure,
    current,
    executor_for,
    run_tasks,
    using,
)

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- local processes

@pytest.mark.parametrize("workers", [1, 2])
def test_local_results_in_task_order(workers):
    tasks = [Task(f"pow {i}", pow, (i, 2)) for i in range(7)]
    seen = []
    results = LocalExecutor(workers).run(tasks, lambda i, v, done, total: seen.append((done, total)))
    assert results == [i * i for i in range(7)]
    assert sorted(seen) == [(d, 7) for d in range(1, 8)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_task_is_named(workers):
    tasks = [Task("fine", pow, (2, 3)), Task("bad", int, ("not a number",))]
    results = LocalExecutor(workers).run(tasks)
    assert results[0] == 8
    assert isinstance(results[1], TaskFailure) and results[1].key == "bad"
    assert "ValueError" in results[1].reason and "\n" not in results[1].reason
    with pytest.raises(TaskFailedError, match="task bad: ValueError"):
        run_tasks(tasks, executor=LocalExecutor(workers))


def test_a_task_that_kills_its_process_costs_only_itself():
    tasks = [Task("a", pow, (3, 2)), Task("dies", os._exit, (9,)), Task("b", pow, (4, 2))]
    results = LocalExecutor(2).run(tasks)
    assert results[0] == 9 and results[2] == 16
    assert isinstance(results[1], TaskFailure) and "process running it died" in results[1].reason


def test_context_and_choice():
    assert isinstance(current(), LocalExecutor)
    chosen = LocalExecutor(2)
    with using(chosen):
        assert current() is chosen
    assert current() is not chosen
    with pytest.raises(FPTheoryError, match="workers must be"):
        LocalExecutor(0)
    with pytest.raises(FPTheoryError, match="expected an address"):
        executor_for("127.0.0.1:8786")


def test_without_dask_the_option_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(FPTheoryError, match=r"pip install 'fptheory\[dask\]'"):
        executor_for("tcp://127.0.0.1:1")
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://127.0.0.1:1")
    with pytest.raises(FPTheoryError, match=r"pip install 'fptheory\[dask\]'"):
        executor_for(None)


def test_scheduler_and_local_processes_are_exclusive(capsys):
    code = main(["measure", "--k1", "1", "--k2", "3", "--m", "4", "--fhat1", "-1,0", "--fhat2", "-1,0",
                 "--delta", "0.3", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "not both" in err and len(err.splitlines()) == 1


def test_unreachable_scheduler_is_one_line(monkeypatch, capsys):
    pytest.importorskip("distributed")
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    code = main(["check", str(ROOT / "proofs" / "lfp_gamma.py"), "--output", "",
                 "--scheduler", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "cannot reach the Dask scheduler" in err and len(err.splitlines()) == 1
    monkeypatch.setenv(TIMEOUT_ENV, "soon")
    assert main(["check", "--scheduler", "tcp://127.0.0.1:1", "--output", ""]) == 2
    assert TIMEOUT_ENV in capsys.readouterr().err


@pytest.mark.parametrize("address", ["tcp://", "tcp://host:notaport", "tcp://[::1", "inproc://x",
                                     "a://b", "tls://127.0.0.1:1", "ws://127.0.0.1:1"])
def test_bad_scheduler_addresses_are_one_line(address, monkeypatch, capsys):
    pytest.importorskip("distributed")
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    code = main(["alpha", "--dim", "1", "--alpha", "0.5", "--no-scaling", "-q", "--scheduler", address])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and address in err, err


# --------------------------------------------------------------------------- a real cluster

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([sys.executable, "-m", "fptheory", *args], capture_output=True, text=True,
                          timeout=300, env=env, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def _without_times(obj):
    if isinstance(obj, dict):
        return {k: _without_times(v) for k, v in obj.items() if k not in ("seconds", "elapsed_s")}
    if isinstance(obj, list):
        return [_without_times(v) for v in obj]
    return obj


@pytest.fixture
def cluster(tmp_path):
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    paths = [str(ROOT), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}

    def start(name: str, *argv: str) -> subprocess.Popen:
        log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        # workers start in an empty folder: the proof scripts reach them only as shipped text
        return subprocess.Popen([sys.executable, "-m", *argv], stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=tmp_path)

    procs = [start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                   str(port), "--no-dashboard")]
    try:
        for i in (1, 2):
            procs.append(start(f"worker{i}", "distributed.cli.dask_worker", address, "--nthreads", "1",
                               "--no-nanny", "--no-dashboard", "--name", f"w{i}"))
        executor = DaskExecutor(address, timeout=60)
        executor.client.wait_for_workers(2, timeout=90)
        yield address, executor, procs
        executor.client.shutdown()  # the scheduler and the workers left stop at once
        executor.close()
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_the_same_answers_on_a_cluster_and_a_lost_worker(cluster, tmp_path):
    address, executor, procs = cluster
    # check: the proof scripts travel as source text; verdicts as in the local run
    folder = tmp_path / "my_proofs"
    folder.mkdir()
    (folder / "mine.py").write_text(
        "import sympy as sp\nfrom fptheory.verify import claim, assess_identity\nx = sp.Symbol('x')\n"
        "@claim('M.1', 'double angle')\ndef double():\n"
        "    return assess_identity(sp.sin(2*x), 2*sp.sin(x)*sp.cos(x), 'sin 2x')\n"
        "@claim('M.2', 'a wrong identity')\ndef wrong():\n"
        "    return assess_identity(sp.sin(2*x), 2*sp.sin(x), 'sin 2x')\n"
        "@claim('M.3', 'raises')\ndef raises():\n    raise RuntimeError('boom')\n")
    # --fresh: the second run must not be answered from the result cache the first one filled
    common = ["check", str(folder), "--json", "--quiet", "--output", "", "--fresh"]
    local = _cli(*common, "--jobs", "1")
    remote = _cli(*common, "--scheduler", address)
    assert _without_times(remote) == _without_times(local)
    labels = {c["label"]: c for c in remote["claims"]}
    assert labels["M.1"]["text"]["verdict"] == "proved"
    assert labels["M.2"]["text"]["verdict"] == "refuted"
    assert "boom" in json.dumps(labels["M.3"])
    # measure over a δ range: identical numbers (seeds come from the task, not the worker)
    measure = ["measure", "--k1", "1", "--k2", "3", "--m", "10", "--fhat1", "-1,0", "--fhat2", "-1,0",
               "--delta-range", "0.2:0.4:3", "--method", "mc", "--samples", "40000", "--json", "-q"]
    env = {**os.environ, SCHEDULER_ENV: address}  # the environment variable, not the option
    assert _without_times(_cli(*measure, env=env)) == _without_times(_cli(*measure))
    # a worker lost mid-run: its task is re-run on the other one, every result comes back
    tasks = [Task(f"nap {i}", time.sleep, (1.5,)) for i in range(6)]
    started = []
    killed = []

    def finished(i, value, done, total):
        started.append(done)
        if done == 1 and not killed:
            procs[1].kill()  # worker w1, whatever it is running now
            killed.append(True)

    results = executor.run(tasks, finished)
    assert killed and results == [None] * 6, results
    assert sorted(started) == list(range(1, 7))
    assert executor.describe().endswith("1 worker")
    assert len(executor.timings) == 6

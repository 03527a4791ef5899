"""Hostile soundness tests for the inequality prover (``fptheory.verify``), the identity
check of ``fptheory prove`` and ``fptheory recheck``.

Every verdict is judged here by an independent reference written for this file, never by
the prover's own code:

* statements and domains are re-read with sympy, **decimals as exact rationals** (0.1 is
  1/10) and without evaluation for the definedness check (so ``x/x`` keeps its ``1/x``);
* a sub-term is *defined* at a point when sympy's exact value there is real and finite
  (``sqrt(-1/2)``, ``1/0``, ``log(0)``, ``asin(2)``, ``tan(pi/2)`` are not);
* a reported counterexample is re-read exactly (``sympy.sympify(text, rational=True)``: the
  printed decimal *is* the point), must satisfy every bound, open end and relation of the
  domain exactly, and must violate the statement exactly / at 80 digits (or make it
  undefined, where the verdict says so).

Rules enforced (see the classes below):

* never ``certified``/``proved`` for a statement that is false or undefined somewhere in
  its domain;
* a plain false statement with a known violating point inside the domain is ``refuted``
  with a genuine witness; an undefined one is ``refuted`` at a genuine undefined point or
  ``unknown`` with a reason;
* true statements stay certified and their certificates re-check (an over-cautious kernel
  fails these);
* ``recheck`` never executes certificate text, never hangs and rejects every tampering
  with a reason;
* ``--time-limit`` is a deadline; bad options are one-line errors.

Calls into the prover run in a forked child with a wall-clock bound (a hang fails the test
instead of hanging the suite; a memory bomb hits an address-space limit instead of the
machine).
"""

from __future__ import annotations

import contextlib
import copy
import faulthandler
import io
import json
import math
import multiprocessing
import os
import random
import re
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import parse_expr, rationalize, standard_transformations

# ---------------------------------------------------------------------------------------
# isolation: every prover call runs in a forked child, bounded in time and memory

#: a call that has not answered after this many seconds is a hang (a failure)
HANG_SECONDS = 60.0


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 2 * 1024**3


class _Hang(AssertionError):
    pass


def isolated(fn: Callable[..., Any], *args: Any, timeout: float = HANG_SECONDS,
             extra_memory: int = 6 * 1024**3, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) in a forked child; its return value (picklable), or an
    AssertionError when it hangs past ``timeout`` twice in a row or dies. An exception
    inside is returned as ``Raised``.

    Why twice: forking a process that has other threads (pytest-xdist's execnet I/O thread)
    can leave the child blocked on a lock another thread held at the fork, before ``fn``
    even starts. That is the harness, not fptheory; a real hang hangs again in a fresh child."""
    try:
        return _isolated_once(fn, args, kwargs, timeout, extra_memory)
    except _Hang:
        return _isolated_once(fn, args, kwargs, timeout, extra_memory)


def _isolated_once(fn: Callable[..., Any], args: tuple, kwargs: dict, timeout: float,
                   extra_memory: int) -> Any:
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    limit = _vm_bytes() + extra_memory

    def child() -> None:
        try:
            # a child about to be killed as hung first prints where it is (stderr)
            faulthandler.dump_traceback_later(max(1.0, timeout - 1.0), exit=False)
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                out: Any = ("ok", fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                out = ("raised", Raised(type(exc).__name__, str(exc)[:3000],
                                        _is_fptheory_error(exc)))
            try:
                send.send(out)
            except Exception as exc:  # noqa: BLE001
                send.send(("raised", Raised(type(exc).__name__, f"unpicklable: {exc}", False)))
        finally:
            os._exit(0)

    proc = ctx.Process(target=child)
    start = time.monotonic()
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            proc.kill()
            proc.join()
            raise _Hang(f"no answer after {time.monotonic() - start:.0f} s (hang): "
                                 f"{getattr(fn, '__name__', fn)}{args!r:.300}")
        try:
            kind, value = receive.recv()
        except EOFError:
            proc.join()
            raise AssertionError(f"the call died (exit code {proc.exitcode}): "
                                 f"{getattr(fn, '__name__', fn)}{args!r:.300}") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    return value


@dataclass
class Raised:
    name: str
    message: str
    fptheory_error: bool  # an FPTheoryError: the prover's one-line refusal


def _is_fptheory_error(exc: BaseException) -> bool:
    from fptheory.core.errors import FPTheoryError

    return isinstance(exc, FPTheoryError)


# ---------------------------------------------------------------------------------------
# calls into the prover (each runs inside the child)


def _certify_summary(statement: str, domain: str, recheck: bool = False,
                     **options: Any) -> dict[str, Any]:
    from fptheory.verify import Domain, certify, parse_statement, recheck_certificate

    start = time.monotonic()
    # the text itself: the documented way to have a statement judged as typed (a sympy
    # relation from parse_statement is judged as sympy built it: sqrt(x)**2 is x)
    r = certify(statement, Domain.parse(domain), **options)
    assert str(r.original_statement or r.statement) == sp.sstr(parse_statement(statement))
    out = {"verdict": r.verdict.value, "counterexample": r.counterexample,
           "counterexample_exact": getattr(r, "counterexample_exact", None),
           "reason": r.reason, "leaves": len(r.leaves),
           "seconds": time.monotonic() - start, "certificate": None, "recheck": None}
    if r.verdict.value == "certified":
        cert = r.certificate()
        out["certificate"] = json.loads(json.dumps(cert))
        if recheck:
            ok = recheck_certificate(out["certificate"])
            out["recheck"] = (bool(ok), ok.reason)
    return out


def prove(statement: str, domain: str, *, timeout: float = HANG_SECONDS,
          **options: Any) -> dict[str, Any] | Raised:
    """certify(statement, Domain.parse(domain), **options) on the text, isolated."""
    return isolated(_certify_summary, statement, domain, timeout=timeout, **options)


def _cli(argv: list[str]) -> tuple[int, str, str, float]:
    from fptheory.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as exc:  # argparse
            rc = exc.code if isinstance(exc.code, int) else 1
    return rc, out.getvalue(), err.getvalue(), time.monotonic() - start


def cli(*argv: str, timeout: float = HANG_SECONDS) -> tuple[int, str, str, float]:
    result = isolated(_cli, list(argv), timeout=timeout)
    assert not isinstance(result, Raised), f"the CLI raised {result.name}: {result.message}"
    return result


def cli_json(statement: str, domain: str, *extra: str, timeout: float = HANG_SECONDS,
             allow_refusal: bool = False) -> dict[str, Any]:
    """`fptheory prove STATEMENT --assume=DOMAIN --json`, its JSON; where allowed, a one-line
    refusal (an unsupported function, the imaginary unit, ...: no claim at all) is returned
    as the verdict "refused"."""
    rc, out, err, _ = cli("prove", statement, f"--assume={domain}", "--json", *extra,
                          timeout=timeout)
    if not out.strip() and allow_refusal and rc != 0:
        lines = [line for line in err.strip().splitlines() if line.strip()]
        assert len(lines) == 1 and "error" in lines[0] and "Traceback" not in err, err
        return {"verdict": "refused", "reason": lines[0], "_rc": rc}
    assert out.strip(), f"no JSON printed (rc {rc}): {err.strip()[-500:]}"
    data = json.loads(out)
    data["_rc"] = rc
    return data


# ---------------------------------------------------------------------------------------
# the reference semantics: exact re-reading of statements, domains and witnesses

_FUNCTIONS: dict[str, Any] = {
    name: getattr(sp, name) for name in (
        "exp", "log", "sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "atan", "asin", "acos",
        "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh", "Abs",
        "sign", "Heaviside", "Max", "Min", "floor", "ceiling")}
_FUNCTIONS.update({"abs": sp.Abs, "pi": sp.pi, "E": sp.E, "oo": sp.oo})
_TRANSFORMS = standard_transformations + (rationalize,)
_RELATION = re.compile(r"(<=|>=|==|<|>)")


def _locals(text: str) -> dict[str, Any]:
    names = set(re.findall(r"[A-Za-z_]\w*", text)) - set(_FUNCTIONS)
    return {**_FUNCTIONS, **{n: sp.Symbol(n, real=True) for n in names}}


def exact(text: str, evaluate: bool = True) -> sp.Expr:
    """The exact sympy reading of a formula: decimals are exact rationals."""
    return parse_expr(text, local_dict=_locals(text), transformations=_TRANSFORMS,
                      evaluate=evaluate)


def split_relation(text: str) -> tuple[str, str, str]:
    parts = _RELATION.split(text)
    assert len(parts) == 3, text
    return parts[0].strip(), parts[1], parts[2].strip()


def _is_bad(value: sp.Expr) -> bool:
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds, sp.I):
        return True
    if value.is_extended_real is False:
        return True
    if not value.free_symbols and not value.is_Rational:
        n = sp.N(value, 30)
        if n.has(sp.I, sp.nan, sp.zoo, sp.oo, -sp.oo) or n.is_extended_real is False:
            return True
    return False


def undefined_subterm(text: str, point: dict[sp.Symbol, sp.Expr]) -> str | None:
    """A sub-term of the formula as typed (unevaluated: x/x keeps 1/x) that is not real
    and finite at the exact point, or None."""
    tree = exact(text, evaluate=False)
    for node in sp.preorder_traversal(tree):
        if not isinstance(node, sp.Expr):
            continue
        if node.is_Atom:
            if node.is_number and _is_bad(node):  # I, zoo, nan, oo typed as such
                return f"{node}"
            continue
        try:
            value = node.subs(point)
        except (ValueError, TypeError, ZeroDivisionError) as exc:  # Max(I, 1): not comparable
            return f"{node}: {exc}"
        if _is_bad(value):
            return f"{node} = {value}"
    # sympy simplifies even unevaluated trees (Max(Min(a, x), x) is x): every sub-term of
    # the text itself is also read on its own
    import ast as _ast
    source = text.replace("^", "**")
    for sub in _ast.walk(_ast.parse(source, mode="eval")):
        segment = _ast.get_source_segment(source, sub) if isinstance(sub, _ast.expr) else None
        if segment is None or isinstance(sub, (_ast.Name, _ast.Constant)):
            continue
        try:
            value = exact(segment).subs(point)
        except (ValueError, TypeError, ZeroDivisionError) as exc:
            return f"{segment}: {exc}"
        if _is_bad(value):
            return f"{segment} = {value}"
    return None


_MAX_U, _MIN_U = sp.Function("MaxU"), sp.Function("MinU")


def _subs_exact(e: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """e at the point, with Max/Min decided at 80 digits: sympy's Max compares its numeric
    arguments with 15-digit values when it is built, so Max(1, sec(a)) next to a pole of
    sec picks by the sign of rounding noise."""
    held = e.replace(sp.Max, _MAX_U).replace(sp.Min, _MIN_U).subs(point)

    def pick(node: sp.Expr) -> sp.Expr:
        args = [a.replace(lambda n: n.func in (_MAX_U, _MIN_U), pick) for a in node.args]
        values = [sp.N(a, 80) for a in args]
        if not all(v.is_Number for v in values):
            return (sp.Max if node.func == _MAX_U else sp.Min)(*args)
        best = max if node.func == _MAX_U else min
        return args[values.index(best(values))]
    return held.replace(lambda n: n.func in (_MAX_U, _MIN_U), pick)


def status_at(statement: str, point: dict[sp.Symbol, sp.Expr]) -> str:
    """'violated', 'holds', 'undefined' or 'undecided' (|margin| < 1e-70, not provably 0)."""
    lhs, op, rhs = split_relation(statement)
    for side in (lhs, rhs):
        if undefined_subterm(side, point) is not None:
            return "undefined"
    try:
        left, right = _subs_exact(exact(lhs), point), _subs_exact(exact(rhs), point)
    except (ValueError, TypeError, ZeroDivisionError):
        return "undefined"
    if _is_bad(left) or _is_bad(right):
        return "undefined"
    if op == "==":
        diff = left - right
        if diff == 0:
            return "holds"
        n = sp.N(diff, 80)
        if abs(n) > sp.Float(10) ** -70:
            return "violated"
        return "holds" if sp.simplify(diff) == 0 else "undecided"
    g = right - left if op in ("<=", "<") else left - right
    strict = op in ("<", ">")
    if g == 0:
        zero = True
    else:
        n = sp.N(g, 80)
        if _is_bad(n):
            return "undefined"
        if abs(n) > sp.Float(10) ** -70:
            return "violated" if n < 0 else "holds"
        zero = sp.simplify(g) == 0
        if not zero:
            return "undecided"
    return "violated" if strict else "holds"


def _compare(a: sp.Expr, op: str, b: sp.Expr) -> bool | None:
    rel = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt}[op](a, b)
    if rel in (sp.true, sp.false):
        return bool(rel)
    return None


def domain_violation(domain: str, point: dict[sp.Symbol, sp.Expr]) -> str | None:
    """Which constraint of the domain text the exact point violates (bounds with their
    open ends, relations between variables), or None when it lies in the domain."""
    names = {v.name for v in point}
    for part in [p.strip() for p in domain.split(",") if p.strip()]:
        if re.fullmatch(r"[A-Za-z_]\w*\s+real", part):
            if part.split()[0] not in names:
                return f"no coordinate for {part.split()[0]}"
            continue
        pieces = _RELATION.split(part.replace(" ", ""))
        terms, ops = pieces[0::2], pieces[1::2]
        for t in terms:
            for n in re.findall(r"[A-Za-z_]\w*", t):
                if n not in _FUNCTIONS and n not in names:
                    return f"no coordinate for {n}"
        values = [exact(t).subs(point) for t in terms]
        for (a, b), op in zip(zip(values, values[1:], strict=False), ops, strict=True):
            ok = _compare(a, op, b)
            if ok is not True:
                return f"{part}: {a} {op} {b} is {'undecided' if ok is None else 'false'}"
    return None


def read_point(values: dict[str, str]) -> dict[sp.Symbol, sp.Expr]:
    """A reported point, read exactly: a printed decimal is that exact rational."""
    out = {}
    for name, text in values.items():
        value = sp.sympify(str(text), rational=True)
        assert value.is_number and value.is_real, f"{name} = {text!r} is not a real number"
        out[sp.Symbol(name, real=True)] = value
    return out


def assert_genuine_witness(statement: str, domain: str, result: dict[str, Any], *,
                           allow_undefined: bool = False) -> None:
    """The counterexample (and its exact form, where given) lies in the domain and violates
    the statement exactly (or makes it undefined, where that is acceptable and said)."""
    assert result.get("counterexample"), f"refuted without a counterexample: {result}"
    shown = [("counterexample", result["counterexample"])]
    if result.get("counterexample_exact"):
        shown.append(("counterexample_exact", result["counterexample_exact"]))
    for label, values in shown:
        point = read_point(values)
        where = domain_violation(domain, point)
        assert where is None, (f"{label} {values} is not in the domain {domain!r} "
                               f"(re-read exactly): {where}")
        status = status_at(statement, point)
        if status == "undefined":
            assert allow_undefined, (f"{label} {values}: {statement!r} is undefined there, "
                                     "but it is false at points where it is defined; a "
                                     "witness must violate it")
            assert result.get("reason"), "refuted at an undefined point without saying so"
            continue
        assert status == "violated", (f"{label} {values} re-read exactly does not violate "
                                      f"{statement!r} ({status}); verdict {result}")


def assert_refuted_or_unknown(statement: str, domain: str, result: dict[str, Any] | Raised,
                              *, allow_undefined: bool = True,
                              allow_refusal: bool = True) -> None:
    """Not certified; refuted with a genuine witness, or unknown with a reason (or, where
    allowed, a one-line refusal such as an unsupported function)."""
    what = f"{statement!r} on {domain!r}"
    if isinstance(result, Raised):
        assert allow_refusal and result.fptheory_error, \
            f"{what}: raised {result.name}: {result.message}"
        return
    assert result["verdict"] in ("refuted", "unknown"), (
        f"{what}: {result['verdict']} (must be refuted or unknown) {result}")
    if result["verdict"] == "unknown":
        assert result["reason"], f"{what}: unknown without a reason"
    else:
        assert_genuine_witness(statement, domain, result, allow_undefined=allow_undefined)


def assert_refuted(statement: str, domain: str, result: dict[str, Any] | Raised) -> None:
    what = f"{statement!r} on {domain!r}"
    assert not isinstance(result, Raised), f"{what}: raised {result.name}: {result.message}"
    assert result["verdict"] == "refuted", (
        f"{what}: {result['verdict']} ({result['reason']}); it is false at a known point "
        "inside the domain")
    assert_genuine_witness(statement, domain, result)


# the reference itself must be right: a few spot checks
def test_reference_semantics_reads_decimals_exactly_and_sees_undefined_subterms():
    x = sp.Symbol("x", real=True)
    assert exact("0.1") == sp.Rational(1, 10) and exact("1e-20") == sp.Rational(1, 10**20)
    assert status_at("x < 0.1", {x: sp.Rational(1, 10)}) == "violated"
    assert status_at("x**2 <= 1 - 1e-17", {x: sp.Integer(1)}) == "violated"
    assert status_at("x/x >= 1", {x: sp.Integer(0)}) == "undefined"
    assert status_at("sign(sqrt(x)) >= -3/2", {x: sp.Rational(-1, 2)}) == "undefined"
    assert status_at("atan(tan(x)) >= -1.6", {x: sp.pi / 2}) == "undefined"
    assert status_at("sign(x)**2 == 1", {x: sp.Integer(0)}) == "violated"
    assert status_at("Heaviside(x)**2 == Heaviside(x)", {x: sp.Integer(0)}) == "violated"
    assert status_at("(x - 1/3)**2 > 0", {x: sp.Rational(1, 3)}) == "violated"
    assert status_at("(x - 1/3)**2 > 0", read_point({"x": "0.333333333333333333333"})) == "holds"
    assert domain_violation("0<x<=1", {x: sp.Integer(0)}) is not None
    assert domain_violation("1/3<=x<=1", read_point({"x": "0.333333333333333333333"}))
    assert domain_violation("0<=x<=pi/2", read_point({"x": "1.57079632679489661923132169164"}))
    y = sp.Symbol("y", real=True)
    assert domain_violation("0<=x<=1, 0<=y<=2, x<y", {x: sp.Integer(1), y: sp.Integer(1)})


# ---------------------------------------------------------------------------------------
# class 1: the monotone rule across a discontinuity or pole
#
# A function whose (simplified) derivative is defined and of one sign across a point where
# the function itself is undefined or jumps (atan(1/x) at 0: the derivative simplifies to
# -1/(1 + x^2)) must not be moved to a face. All are undefined somewhere in the domain:
# refuted at an undefined point, or unknown.

DISCONTINUITY = [
    ("atan(1/x) >= -1.5707963", "-1<=x<=1"),  # jumps from -pi/2 to pi/2 at 0 (and undefined)
    ("atan(1/x) <= 1.5707963", "-1<=x<=1"),
    ("atan(tan(x)) >= -1.6", "0<=x<=2"),  # derivative simplifies to 1; pole of tan at pi/2
    ("atan(tan(x)) <= 1.6", "1<=x<=3"),
    ("x - atan(tan(x)) >= 0", "0<=x<=2"),
    ("atan(tan(x/2)) >= -1.6", "0<=x<=4"),
    ("atan(1/(x - 1/3)) >= -1.5707963", "0<=x<=1"),  # jump at a non-dyadic point
    ("atan(1/x**3) >= -1.5707963", "-1<=x<=1"),
    ("atan(2/x) >= -1.5707964", "-1<=x<=1"),
    ("atan(1/x) + atan(x) <= 1.5707964", "-1<=x<=1"),  # pi/2 sign(x), undefined at 0
    ("atan(1/tan(x)) >= -1.6", "-1<=x<=1"),  # acot(tan x): jump at 0
    ("Abs(x)/x >= -1", "-1<=x<=1"),  # sign(x) except at 0, where it is undefined
    ("Abs(x - 1/3)/(x - 1/3) <= 1", "0<=x<=1"),
    ("tan(x)**2 >= 0", "0<=x<=2"),  # pole at pi/2
    ("sec(x)**2 >= 1", "0<=x<=2"),  # pole at pi/2
    ("csc(x)**2 >= 1", "-1<=x<=1"),  # pole at 0
    ("cot(x)*tan(x) >= 1", "1/2<=x<=2"),  # 1 where defined; tan has a pole at pi/2
    ("exp(-1/x**2) <= 1", "-1<=x<=1"),  # undefined at 0 (removable as a limit only)
    ("x*sin(1/x) <= 1", "-1<=x<=1"),
    ("tanh(1/x) >= -1", "-1<=x<=1"),
]


@pytest.mark.parametrize("statement, domain", DISCONTINUITY)
def test_monotone_rule_never_crosses_a_discontinuity(statement, domain):
    r = prove(statement, domain, time_limit=3, max_boxes=3000, samples=60)
    assert_refuted_or_unknown(statement, domain, r)


# jumps of sign/Abs/Max/Min that make a statement false exactly at the jump (a point
# inside the domain, not on any dyadic grid): never certified; a refutation must be exact
# (x = 1/3 itself: no decimal near it is a witness). Unknown is accepted: finding the jump
# point is completeness, not soundness.
JUMP_FALSE = [
    ("sign(x - 1/3)**2 >= 1", "0<=x<=1"),  # 0 at x = 1/3
    ("Abs(sign(x - 1/3)) > 0", "0<=x<=1"),
    ("Max(x, 1/3) > 1/3", "0<=x<=1"),  # false on [0, 1/3]: easy, but a jump in the slope
    ("Min(x - 1/3, 1/3 - x) < 0", "0<=x<=1"),  # = -|x - 1/3|: 0 at x = 1/3
    ("Abs(x - 1/7) > 0", "0<=x<=1"),
]


@pytest.mark.parametrize("statement, domain", JUMP_FALSE)
def test_statements_false_only_at_a_jump_are_never_certified(statement, domain):
    r = prove(statement, domain, time_limit=3, max_boxes=3000, samples=60)
    assert_refuted_or_unknown(statement, domain, r, allow_undefined=False, allow_refusal=False)


# ---------------------------------------------------------------------------------------
# class 2: a rewritten form that is not the same function
#
# sp.factor of a polynomial with Float coefficients rounded 1e-20 away; every statement
# below is false at (or within 1e-20 of) x = 1/3, 4/15, 0.3, ... inside the domain.

REWRITE_FALSE = [
    ("(x - 1/3)**2 >= 1e-20", "0<=x<=1"),
    ("x**2 - 2*x/3 + 1/9 >= 1e-20", "0<=x<=1"),
    ("(x - 1/3)**2*(x + 2) >= 1e-18", "0<=x<=1"),
    ("(3*x - 1)**2/(x + 1) >= 1e-20", "0<=x<=1"),
    ("(x - 1/3)**4 >= 1e-40", "0<=x<=1"),
    ("(x - 1/3)*(x - 1/3 + 1e-20) >= 0", "0<=x<=1"),  # < 0 on (1/3 - 1e-20, 1/3)
    ("(x - 1/3)**2 >= 1e-20*x", "0<=x<=1"),
    ("(x - 1/3)**2 + 1e-30 >= 2e-30", "0<=x<=1"),
    ("(x - 1/3)*(x - 1/5) >= -1/225 + 1e-20", "0<=x<=1"),  # minimum -1/225 at x = 4/15
    ("(x - 0.3)**2 >= 1e-20", "0<=x<=1"),
    ("(x - y/3 - 1/7)**2 >= 1e-20", "0<=x<=1, 0<=y<=1"),
]


@pytest.mark.parametrize("statement, domain", REWRITE_FALSE)
def test_rewritten_forms_are_the_same_function(statement, domain):
    r = prove(statement, domain, time_limit=5, max_boxes=5000, samples=60)
    assert_refuted(statement, domain, r)


# ---------------------------------------------------------------------------------------
# class 3: name collisions in the relation substitution
#
# The substitution for x < y introduced a variable d_y (y unbounded) or s_y (y bounded):
# a user variable of that name was silently identified with it (and its bounds replaced).

COLLISION_FALSE = [
    # false at x = 0, y = 5, d_y = 0
    ("y - x <= d_y + exp(x) - 1", "0<=x<=1, y>=0, x<y, 0<=d_y<=1"),
    ("y - x <= d_y", "0<=x<=1, y>=0, x<y, 0<=d_y<=1"),  # was 'not an inequality: True'
    ("y - x <= s_y*(2 - x)", "0<=x<=1, 0<=y<=2, x<y, 0<=s_y<=1"),  # false at (0, 2, 0)
    ("d_y >= 0", "0<=x<=1, y>=0, x<y, -1<=d_y<=1"),  # the user's bounds on d_y were dropped
    ("s_y >= 0", "0<=x<=1, 0<=y<=2, x<y, -1<=s_y<=1"),
    ("v - u <= s_v*(3 - u)", "0<=u<=1, 0<=v<=3, u<v, 0<=s_v<=1"),  # false at (0, 3, 0)
    ("b - a <= t_b + d_b", "0<=a<=1, b>=0, a<b, 0<=t_b<=1, 0<=d_b<=1"),
    ("y <= 1 + s_y/2", "0<=s_y<=1, 0<=y<=2, s_y<y"),  # the smaller side is named s_y itself
]


@pytest.mark.parametrize("statement, domain", COLLISION_FALSE)
def test_relation_substitution_variables_never_collide_with_user_names(statement, domain):
    r = prove(statement, domain, time_limit=5, max_boxes=5000, samples=100)
    assert_refuted(statement, domain, r)


# ---------------------------------------------------------------------------------------
# class 4: identities checked by sign cases that skip zero (through `fptheory prove`)

#: false at 0 or at a domain end, which are ends or the middle of the domain (points any
#: grid includes): refuted with a genuine witness, or unknown with a reason
IDENTITY_FALSE_ON_GRID = [
    ("sign(x)**2 == 1", "-1<=x<=1"),
    ("Heaviside(x)**2 == Heaviside(x)", "-1<=x<=1"),  # H(0) = 1/2 in sympy
    ("0**Abs(x) == 0", "-1<=x<=1"),  # 0**0 = 1
    ("sign(x)**2 == 1", "0<=x<=1"),  # fails at the domain end 0
    ("sign(x**2) == 1", "-1<=x<=1"),
    ("Abs(sign(x)) == 1", "-1<=x<=1"),
    ("Heaviside(x)*Heaviside(-x) == 0", "-1<=x<=1"),
    ("0**(x**2) == 0", "-2<=x<=2"),
    ("Abs(x)/x == sign(x)", "-1<=x<=1"),  # lhs undefined at 0
    ("sign(x - 1)**2 == 1", "0<=x<=1"),  # fails at the domain end 1
    ("floor(x) + floor(-x) == -1", "-1/2<=x<=1/2"),  # fails at the integer 0
    ("Heaviside(x - 1) == 1", "1<=x<=2"),  # H(0) = 1/2 at the end x = 1
    ("x**2/x == x", "-1<=x<=1"),  # sympy evaluates x**2/x to x: undefined at 0 as typed
    ("x/x == 1", "-1<=x<=1"),
    ("sqrt(x)**2 == x", "-1<=x<=1"),  # sympy evaluates the left side to x; sqrt(-1) = I
    ("exp(log(x)) == x", "-1<=x<=1"),
    ("sign(x - y)**2 == 1", "-1<=x<=1, -1<=y<=1"),  # fails on the diagonal
]

#: false only at a point no grid hits: at least never proved
IDENTITY_FALSE_OFF_GRID = [
    ("sign(x - 1/3)**2 == 1", "0<=x<=1"),
    ("Heaviside(x - 1/3)**2 == Heaviside(x - 1/3)", "0<=x<=1"),
    ("sign(x)**4 == 1", "-3<=x<=1"),
    ("0**Abs(x - 1/7) == 0", "0<=x<=1"),
]

IDENTITY_TRUE = [
    ("Min(x, 0) + Max(x, 0) == x", "-1<=x<=1"),
    ("sign(x)*Abs(x) == x", "-1<=x<=1"),
    ("Max(x, 0)**2 == x*Max(x, 0)", "-1<=x<=1"),
]


def _identity_result(data: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": data["verdict"], "counterexample": data.get("counterexample"),
            "counterexample_exact": data.get("counterexample_exact"),
            "reason": data.get("reason") or data.get("evidence", "")}


@pytest.mark.parametrize("statement, domain", IDENTITY_FALSE_ON_GRID)
def test_identities_false_at_zero_or_an_end_are_not_proved(statement, domain):
    data = cli_json(statement, domain, "--time-limit", "5", allow_refusal=True)
    r = _identity_result(data)
    assert data["_rc"] != 0 or r["verdict"] not in ("proved", "certified")
    assert r["verdict"] in ("refuted", "unknown", "refused"), (
        f"{statement!r} on {domain!r}: {r['verdict']} ({r['reason']}); it is false at 0 or a "
        "domain end, which the check must try")
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r, allow_undefined=True)
    else:
        assert r["reason"]


@pytest.mark.parametrize("statement, domain", IDENTITY_FALSE_OFF_GRID)
def test_identities_false_at_one_interior_point_are_never_proved(statement, domain):
    r = _identity_result(cli_json(statement, domain, "--time-limit", "5", allow_refusal=True))
    assert r["verdict"] not in ("proved", "certified"), f"{statement!r}: {r}"
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r, allow_undefined=True)


@pytest.mark.parametrize("statement, domain", IDENTITY_TRUE)
def test_true_identities_are_not_refuted(statement, domain):
    r = _identity_result(cli_json(statement, domain, "--time-limit", "10"))
    assert r["verdict"] in ("proved", "sampled"), f"{statement!r}: {r}"


# ---------------------------------------------------------------------------------------
# class 5: decimal literals mean exact decimals

DECIMAL_FALSE = [
    ("x < 0.1", "0<=x<=1/10"),  # false at x = 1/10 (binary 0.1 is 0.1000000000000000055...)
    ("x**2 <= 1 - 1e-17", "-1<=x<=1"),  # 1 - 1e-17 rounded to 1.0 at 15 digits
    ("exp(x) >= 1 + x + 1e-30", "-1<=x<=1"),  # false at 0
    ("x < 1e-3", "0<=x<=1/1000"),
    ("3*x < 0.3", "0<=x<=1/10"),
    ("x*0.1 < 1/100", "0<=x<=1/10"),
    ("x < 0.1", "0<=x<=0.1"),  # decimal in the assumption: the witness is exactly 1/10
    ("x > 0.1", "0.1<=x<=1"),
    ("x <= 0.7 - 1e-25", "0<=x<=0.7"),
    ("sin(x) <= 0.84147098480789650665250232163029", "0<=x<=1"),  # sin(1) = ...0298999...
    ("2.5e-1 < x", "1/4<=x<=1"),
]

DECIMAL_TRUE = [
    ("x <= 0.3", "0<=x<=3/10"),  # binary 0.3 is below 3/10: refuting this is wrong
    ("x <= 1/10", "0<=x<=0.1"),
    ("x < 1 + 1e-20", "0<=x<=1"),
    ("x + 0.1 + 0.2 <= x + 0.3", "0<=x<=1"),
    ("x <= 0.7", "0<=x<=0.7"),
    ("x < 0.1", "0<=x<=0.09"),
    ("sin(x) <= 0.84147098480789650665250232163030", "0<=x<=1"),  # sin(1) + 1.0e-32
    ("x**2 <= 1 - 1e-17", "-0.99<=x<=0.99"),
]


@pytest.mark.parametrize("statement, domain", DECIMAL_FALSE)
def test_false_statements_with_decimals_are_refuted_at_exact_decimal_points(statement, domain):
    r = prove(statement, domain, time_limit=5, max_boxes=5000, samples=60)
    assert_refuted(statement, domain, r)


@pytest.mark.parametrize("statement, domain", DECIMAL_TRUE)
def test_true_statements_with_decimals_are_certified_never_refuted(statement, domain):
    r = prove(statement, domain, time_limit=10, max_boxes=10000, samples=60, recheck=True)
    assert not isinstance(r, Raised), f"raised {r.name}: {r.message}"
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r)  # fails: there is no violating point
    assert r["verdict"] == "certified", f"{statement!r} on {domain!r}: {r}"
    assert r["recheck"] and r["recheck"][0], r["recheck"]


# ---------------------------------------------------------------------------------------
# class 6: undefined or non-real values somewhere in the domain

UNDEFINED = [
    ("sign(sqrt(x)) >= -3/2", "-1<=x<=1"),  # arb.sgn(nan) is [±1.01]
    ("sign(log(x)) >= -2", "-1<=x<=1"),
    ("sign(asin(x)) >= -2", "0<=x<=2"),
    ("sign(acos(x)) > -3/2", "-2<=x<=0"),
    ("sign(1/x) >= -2", "-1<=x<=1"),
    ("sign(tan(x)) >= -2", "0<=x<=2"),
    ("sign(x**(1/3)) >= -2", "-1<=x<=1"),  # principal cube root: not real for x < 0
    ("Abs(sign(sqrt(x))) <= 1.5", "-1<=x<=1"),
    ("sign(sqrt(x))**2 <= 1.5", "-1<=x<=1"),
    ("sign(log(x - 1/3)) <= 2", "0<=x<=1"),
    ("Max(sqrt(x), 1) >= 1", "-1<=x<=1"),  # crashed with TypeError
    ("Min(sign(sqrt(x)), 2) >= -3/2", "-1<=x<=1"),  # crashed with TypeError
    ("acos(x) >= 0", "0<=x<=2"),
    ("x**(1/3) >= -2", "-1<=x<=1"),
    ("sqrt(sin(x)) >= 0", "0<=x<=4"),
    ("log(x) <= 1", "0<=x<=1"),  # undefined at the closed end 0
    ("1/x**2 >= 0", "-1<=x<=1"),
    ("asin(x/2 + 1/2) <= 2", "-1<=x<=2"),
    ("sqrt(x - 1/3) >= -1", "0<=x<=1"),
    ("sign(sqrt(x)) >= -3/2", "x >= -1"),  # unbounded domain
    ("exp(-y)*sqrt(x) >= -1", "-1<=x<=1, y>=0"),
    ("sign(sqrt(y - 1)) >= -2", "0<=x<=1, 0<=y<=2, x<y"),  # through the relation pieces
]


@pytest.mark.parametrize("statement, domain", UNDEFINED)
def test_statements_undefined_somewhere_are_never_certified(statement, domain):
    r = prove(statement, domain, time_limit=3, max_boxes=3000, samples=60)
    assert_refuted_or_unknown(statement, domain, r)


# sympy evaluates these while parsing (x/x -> 1, sqrt(x)**2 -> x, exp(log(x)) -> x,
# x**2/x -> x, log(x) - log(x) -> 0): the typed statement is undefined at 0 (or for x < 0),
# the evaluated one is not. `fptheory prove` is what a user types into.
AUTO_SIMPLIFIED = [
    ("x/x >= 1", "-1<=x<=1"),
    ("sqrt(x)**2 >= -1", "-1<=x<=1"),
    ("exp(log(x)) >= -1", "-1<=x<=1"),
    ("x**2/x >= -1", "-1<=x<=1"),
    ("log(x) - log(x) >= 0", "-1<=x<=1"),
    ("(x - 1)/(x - 1) >= 1", "0<=x<=2"),
    ("sin(x)**2/sin(x) <= 1", "-1<=x<=1"),
    ("0*log(x) >= 0", "-1<=x<=1"),
    ("1**(1/x) <= 1", "-1<=x<=1"),  # 1**(1/x) -> 1
    ("exp(x)**(1/x) <= 3", "-1<=x<=1"),  # exp(x)**(1/x) -> E
]


@pytest.mark.parametrize("statement, domain", AUTO_SIMPLIFIED)
def test_prove_judges_the_statement_as_typed_not_as_sympy_evaluated_it(statement, domain):
    data = cli_json(statement, domain, "--time-limit", "3", "--max-boxes", "3000",
                    allow_refusal=True)
    r = _identity_result(data)
    assert r["verdict"] not in ("certified", "proved"), (
        f"{statement!r} on {domain!r}: {r['verdict']}, though a sub-term as typed is "
        "undefined in the domain")
    assert data["_rc"] != 0
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r, allow_undefined=True)


# ---------------------------------------------------------------------------------------
# counterexamples: inside the domain, and violating when re-read exactly


WITNESS_CASES = [
    ("x >= 1/2", "1/3<=x<=1"),  # the corner 1/3 printed as 0.333...3 lies outside
    ("x >= 1/2", "0<x<=1"),  # never x = 0
    ("x >= 1/2", "0<=x<=1, x>1/4"),  # a second bound on the same variable
    ("x <= 1/2", "0<=x<=1, x<3/4"),  # ... open at 3/4
    ("sin(x) < 1", "0<=x<=pi/2"),  # only at pi/2: no decimal is a witness
    ("(x - 1/3)**2 > 0", "0<=x<=1"),  # only at 1/3: no decimal is a witness
    ("y - x >= 1/1000", "0<=x<=1, 0<=y<=1, x<y"),  # y = x is not in the domain
    ("x + y <= 1", "0<=x<=1, 0<=y<=1, x<y"),
    ("x + y <= 1/2", "-1<=x<=1, 1/3<=y<=2/3, x<y"),
    ("z - y <= 1/2", "0<=x<=1, 0<=y<=2, 0<=z<=3, x<y, x<z"),  # two relations
]


@pytest.mark.parametrize("statement, domain", WITNESS_CASES)
def test_counterexamples_lie_in_the_domain_and_violate_exactly(statement, domain):
    r = prove(statement, domain, time_limit=5, max_boxes=5000, samples=100)
    assert_refuted(statement, domain, r)


#: true statements on domains with open ends / several relations: never refuted
NEVER_REFUTED = [
    ("x > 0", "0<x<=1"),
    ("x < 7/10", "0<=x<0.7"),
    ("x < y", "0<=x<=1, 0<=y<=2, x<y"),
    # two relations with the same smaller side: the first piece lost x < y, and sin(x) <= y
    # was refuted at x = 0.86, y = 0.53 (outside the domain)
    ("sin(x) <= y", "0<=x<=1, 1/2<=y<=2, x<y, 0<=z<=1, x<z"),
    ("x <= z", "0<=x<=1, 1/2<=y<=2, 0<=z<=2, x<y, x<z"),
    ("sign(log(x)) >= -2", "0<x<=1"),  # defined on the open interval
    ("1/x >= 1", "0<x<=1"),
    ("y > 1/2", "0<=x<=1, 1/2<y<=2, x<=y"),  # s = 0 at x = 1/2 gives y = 1/2: not in it
    ("x < 1", "0<=x<=3, 0<=y<=1, x<y"),  # x < y <= 1 although x's own bound is 3
]


@pytest.mark.parametrize("statement, domain", NEVER_REFUTED)
def test_true_statements_on_open_or_related_domains_are_never_refuted(statement, domain):
    r = prove(statement, domain, time_limit=3, max_boxes=3000, samples=100)
    assert not isinstance(r, Raised), f"raised {r.name}: {r.message}"
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r)  # must fail: there is none
    assert r["verdict"] in ("certified", "unknown"), r
    if r["verdict"] == "unknown":
        assert r["reason"]


def test_a_reported_witness_of_a_tiny_violation_violates_at_60_digits():
    # 1 - 10**-30 < sin(x) only within ~1.4e-15 of pi/2 (+ 2 k pi)
    statement, domain = "sin(x) <= 1 - 10**-30", "x>=0"
    r = prove(statement, domain, time_limit=5, max_boxes=5000)
    assert_refuted_or_unknown(statement, domain, r, allow_undefined=False, allow_refusal=False)


# ---------------------------------------------------------------------------------------
# true statements stay certified and their certificates re-check

TRUE_STATEMENTS = [
    ("exp(x) >= 1 + x", "-5<=x<=5"),
    ("2*x/pi <= sin(x)", "0<=x<=pi/2"),
    ("sin(x) <= x", "x>=0"),
    ("x*(1-x) <= 1/4", "0<=x<=1"),
    ("(x - 1/3)**2 >= 0", "0<=x<=1"),
    ("log(1+x) <= x", "x>=0"),
    ("abs(sinh(a)/sinh(b)) <= 2*exp(-(b - a))", "1/10<=a<=1, 2<=b<=4"),
    ("x < 0.1", "0<=x<=0.09"),
    ("sqrt(x) <= 1", "0<=x<=1"),
    ("sign(x) >= -1", "-1<=x<=1"),
    # (sinh(u1)/sinh(u2) <= exp(u1 - u2) on 1/100<=u1<=5, u1<u2<=6 is true but ends unknown,
    # before the kernel too: the raw sinh ratio needs the rewriting of the prover issue)
    ("sin(x) <= y", "0<=x<=1, 1/2<=y<=2, x<y"),
    ("exp(x - y) <= 1", "0<=x<=1, y>=1/2, x<y"),
]


@pytest.mark.parametrize("statement, domain", TRUE_STATEMENTS)
def test_true_statements_are_certified_and_their_certificates_recheck(statement, domain):
    r = prove(statement, domain, time_limit=30, recheck=True, timeout=120)
    assert not isinstance(r, Raised), f"raised {r.name}: {r.message}"
    assert r["verdict"] == "certified", f"{statement!r} on {domain!r}: {r['verdict']} " \
                                        f"({r['reason']})"
    assert r["leaves"] > 0 or r["certificate"].get("pieces")
    assert r["recheck"] is not None and r["recheck"][0], f"recheck failed: {r['recheck']}"


# ---------------------------------------------------------------------------------------
# class 7: recheck never executes, never hangs, rejects every tampering


def _recheck(certificate: Any, canary: str) -> tuple[bool, str, bool]:
    from fptheory.verify import recheck_certificate

    ok = recheck_certificate(certificate)
    return bool(ok), str(ok.reason), os.path.exists(canary)


def _payloads(canary: str) -> list[str]:
    """Formula texts that run code (creating the canary file) if anything evaluates them."""
    code = f"open({canary!r}, 'w').write('fired')"
    chars = "+".join(f"chr({ord(c)})" for c in code)
    as_bytes = ",".join(str(ord(c)) for c in code)
    return [
        f"exec({chars})",  # no quotes, brackets, dunders or attributes: passed the filter
        f"eval({chars})",
        f"exec(bytes(({as_bytes})))",
        f"__import__('builtins').exec({code!r})",
        f"(lambda: exec({chars}))()",
        f"getattr(__builtins__, chr(101)+chr(120)+chr(101)+chr(99))({chars})",
        f"Function(exec({chars}))(x)",
        f"x + 0*exec({chars})",
        f"S(exec({chars}))",
        f"sympify({code!r})",
    ]


#: texts that are huge, deep or expensive when evaluated
_HEAVY = [
    "2**(10**10)",
    "10**10**10",
    "x**(2**(2**40))",
    "factorial(10**9)",
    "9" * 200000,
    "1e999999999",
    "(" * 5000 + "x" + ")" * 5000,
    "-" * 100000 + "x",
    "+".join(["x"] * 100000),
    "exp(" * 3000 + "x" + ")" * 3000,
    "Integer(2)**Integer(10)**Integer(10)",
    "nan",
    "zoo",
    "I",
]


def _base_certificates() -> dict[str, dict[str, Any]]:
    from fptheory.verify import Domain, certify, parse_statement

    out = {}
    for key, (statement, domain) in {
            "box": ("x*(1-x) <= 1/4", "0<=x<=1"),
            "monotone": ("x*exp(-x) <= 3679/10000", "0<=x<=4"),
            "end": ("2*x/pi <= sin(x)", "0<=x<=pi/2"),
            "tail": ("log(1+x) <= x", "x>=0"),
            "related": ("sin(x) <= y", "0<=x<=1, 1/2<=y<=2, x<y")}.items():
        r = certify(parse_statement(statement), Domain.parse(domain), time_limit=60)
        assert r.verdict.value == "certified", (statement, r.reason)
        out[key] = json.loads(json.dumps(r.certificate()))
    # as `fptheory prove --certificate` writes it (with the typed text, where kept)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cert.json")
        rc, _, err, _ = _cli(["prove", "x*(1-x) <= 1/4", "--assume=0<=x<=1",
                              "--certificate", path])
        assert rc == 0, err
        with open(path) as fh:
            out["cli_box"] = json.load(fh)
    return out


@pytest.fixture(scope="module")
def certificates() -> dict[str, dict[str, Any]]:
    result = isolated(_base_certificates, timeout=300)
    assert not isinstance(result, Raised), f"{result.name}: {result.message}"
    return result


def _first_leaf(cert: dict[str, Any]) -> dict[str, Any]:
    if "pieces" in cert:
        for piece in cert["pieces"]:
            if piece["leaves"]:
                return piece["leaves"][0]
    return cert["leaves"][0]


def _leaves(cert: dict[str, Any]) -> list[dict[str, Any]]:
    if "pieces" in cert:
        return [leaf for piece in cert["pieces"] for leaf in piece["leaves"]]
    return cert["leaves"]


def _substituted_piece(cert: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in cert["pieces"] if p["substitution"])


# each tamper: (base certificate, edit); the edit returns False where it does not apply
TAMPERS: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "statement made false": ("box", lambda c: c.update(statement="x*(1 - x) <= 1/5")),
    "statement made strict": ("box", lambda c: c.update(statement="x*(1 - x) < 1/4")),
    "statement flipped": ("box", lambda c: c.update(statement="x*(1 - x) >= 1/4")),
    "statement another variable": ("box", lambda c: c.update(statement="y*(1 - y) <= 1/4")),
    "statement an identity": ("box", lambda c: c.update(statement="x*(1 - x) == 1/4")),
    "statement not a string": ("box", lambda c: c.update(statement=["x <= 1"])),
    "statement missing": ("box", lambda c: c.pop("statement")),
    "monotone statement made false": ("end", lambda c: c.update(
        statement="201*x/(100*pi) <= sin(x)")),
    "domain hi widened": ("box", lambda c: c["domain"]["x"].__setitem__(1, "2")),
    "domain lo widened": ("box", lambda c: c["domain"]["x"].__setitem__(0, "-1")),
    "domain hi as a float": ("box", lambda c: c["domain"]["x"].__setitem__(1, 1.0000001)),
    "domain end pi/2 widened": ("end", lambda c: c["domain"]["x"].__setitem__(1, "2")),
    "domain end decimal just past pi/2": ("end", lambda c: c["domain"]["x"].__setitem__(
        1, "1.5707963267948966192313216916398")),
    "domain empty": ("box", lambda c: c["domain"]["x"].__setitem__(1, "0")),
    "domain reversed": ("box", lambda c: c["domain"].__setitem__("x", ["1", "0", False, False])),
    "domain second variable": ("box", lambda c: c["domain"].__setitem__(
        "y", ["0", "1", False, False])),
    "domain open end not a bool": ("box", lambda c: c["domain"]["x"].__setitem__(2, "yes")),
    "domain infinite end closed": ("tail", lambda c: c["domain"]["x"].__setitem__(3, False)),
    "domain tail cut": ("tail", lambda c: c["domain"]["x"].__setitem__(1, "10")),
    "domain not a dict": ("box", lambda c: c.update(domain=[["x", "0", "1"]])),
    "relation removed": ("related", lambda c: c["domain"].pop("relations")),
    "relation reversed": ("related", lambda c: c["domain"].__setitem__("relations", ["y < x"])),
    "relation on an unknown variable": ("related", lambda c: c["domain"].__setitem__(
        "relations", ["x < z"])),
    "relation duplicated": ("related", lambda c: c["domain"].__setitem__(
        "relations", ["x < y", "x < y"])),
    "relation as code": ("related", lambda c: c["domain"].__setitem__(
        "relations", ["x < y; import os"])),
    "leaf box shrunk": ("box", lambda c: c["leaves"][0]["box"]["x"].__setitem__(1, "3/4")),
    "leaf box outside": ("box", lambda c: c["leaves"][0]["box"]["x"].__setitem__(1, "2")),
    "leaf removed": ("box", lambda c: c["leaves"].pop()),
    "leaf duplicated": ("box", lambda c: c["leaves"].append(copy.deepcopy(c["leaves"][0]))),
    "leaves empty": ("box", lambda c: c.update(leaves=[])),
    "leaf box variable renamed": ("box", lambda c: c["leaves"][0].update(
        box={"y": c["leaves"][0]["box"]["x"]})),
    "leaf box reversed": ("box", lambda c: c["leaves"][0]["box"].update(
        x=c["leaves"][0]["box"]["x"][::-1])),
    "leaf box split overlapping": ("box", lambda c: c["leaves"].extend(
        [{"box": {"x": ["0", "1/4"]}, "rule": "interval"}])),
    # sympy's algebra on exp(-10^12) (a power of E of that degree) kills the interpreter
    # with a floating-point exception in flint's gcd: such an end is refused, not simplified
    "leaf end a huge exponential": ("box", lambda c: c["leaves"][0]["box"]["x"].__setitem__(
        1, "1/(1 + exp(-10**12))")),
    "leaf split at a huge exponential": ("box", lambda c: c.update(leaves=[
        {"box": {"x": ["0", "1/(1 + exp(-10**12))"]}, "rule": "interval"},
        {"box": {"x": ["1/(1 + exp(-10**12))", "1"]}, "rule": "interval"}])),
    "tail leaf box cut": ("tail", lambda c: c["leaves"][-1]["box"]["x"].__setitem__(1, "10")),
    "rule interval -> point": ("box", lambda c: c["leaves"][0].update(rule="point")),
    "rule interval -> exact zero": ("box", lambda c: c["leaves"][0].update(rule="exact zero")),
    "rule unknown": ("box", lambda c: c["leaves"][0].update(rule="trust me")),
    "rule monotone flipped": ("monotone", lambda c: [
        leaf.update(rule=leaf["rule"].replace("increasing", "DECR").replace(
            "decreasing", "increasing").replace("DECR", "decreasing"))
        for leaf in c["leaves"]] and any("creasing" in leaf["rule"] for leaf in c["leaves"])),
    "rule taylor at an end for a strict statement": ("end", lambda c: c.update(
        statement="2*x/pi < sin(x)") or any(" end" in leaf["rule"] for leaf in c["leaves"])),
    "rule taylor at an end, end renamed": ("end", lambda c: (lambda had: [
        leaf.update(rule=leaf["rule"].replace("low end", "left end"))
        for leaf in c["leaves"]] and had)(any("low end" in leaf["rule"] for leaf in c["leaves"]))),
    "rule monotone in an unknown variable": ("monotone", lambda c: [
        leaf.update(rule="monotone: increasing in q → interval") for leaf in c["leaves"]]),
    "rule monotone chain too long": ("monotone", lambda c: [
        leaf.update(rule="monotone: increasing in x → " * 200 + "interval")
        for leaf in c["leaves"]]),
    "rule not a string": ("box", lambda c: c["leaves"][0].update(rule=["interval"])),
    "digits zero": ("box", lambda c: c.update(digits=0)),
    "digits negative": ("box", lambda c: c.update(digits=-30)),
    "digits huge": ("box", lambda c: c.update(digits=10**9)),
    "digits float": ("box", lambda c: c.update(digits=30.5)),
    "digits text": ("box", lambda c: c.update(digits="30; import os")),
    "digits bool": ("box", lambda c: c.update(digits=True)),
    "digits missing": ("box", lambda c: c.pop("digits")),
    "max_depth negative": ("box", lambda c: c.update(max_depth=-1)),
    "max_depth huge": ("monotone", lambda c: c.update(max_depth=10**9)),
    "max_depth text": ("box", lambda c: c.update(max_depth="six")),
    "max_depth none": ("box", lambda c: c.update(max_depth=None)),
    "pieces removed": ("related", lambda c: c.pop("pieces")),
    "pieces one dropped": ("related", lambda c: c["pieces"].pop()),
    "pieces swapped": ("related", lambda c: c["pieces"].reverse()),
    "pieces substitution changed": ("related", lambda c: _substituted_piece(c)[
        "substitution"].update(y="s_y*(3 - x) + x")),
    "pieces substitution dropped": ("related", lambda c: _substituted_piece(c).update(
        substitution={})),
    "pieces substitution variable renamed": ("related", lambda c: _substituted_piece(c)[
        "substitution"].update(y="t_y*(2 - x) + x")),
    "pieces statement changed": ("related", lambda c: _substituted_piece(c).update(
        statement="sin(x) <= s_y*(2 - x) + x + 1")),
    "pieces statement made weaker": ("related", lambda c: _substituted_piece(c).update(
        statement="sin(x) <= 2")),
    "pieces domain widened": ("related", lambda c: _substituted_piece(c)["domain"]["x"]
                              .__setitem__(0, "0")),
    "pieces leaves emptied": ("related", lambda c: _substituted_piece(c).update(leaves=[])),
    "pieces max_depth huge": ("related", lambda c: _substituted_piece(c).update(
        max_depth=10**9)),
    "pieces not a list": ("related", lambda c: c.update(pieces={"0": c["pieces"][0]})),
    "forms: a false form": ("box", lambda c: bool(c.get("forms")) and c["forms"][0].update(
        form="(2*x - 1)**2/4 + 1")),
    "forms: a form of something else": ("box", lambda c: c.update(forms=[
        {"of": "-x*(1 - x) + 1/4", "form": "1", "equal_by": "cancel"}]) if "forms" in c
        else False),
    "forms: claimed equal by fiat": ("box", lambda c: bool(c.get("forms")) and c["forms"][0]
                                     .update(form="7", equal_by="identity")),
    "source changed": ("cli_box", lambda c: c.update(source="x*(1 - x) <= 1/5")
                       if "source" in c else False),
    "source of another statement": ("cli_box", lambda c: c.update(source="x/x*(x*(1 - x)) <= 1/4")
                                    if "source" in c else False),
    "source not a string": ("cli_box", lambda c: c.update(source=["x"]) if "source" in c else False),
    "cli statement made false": ("cli_box", lambda c: c.update(statement="x*(1 - x) <= 1/5")),
    "certificate not an object": ("box", lambda c: ("replace", [1, 2, 3])),
    "certificate null": ("box", lambda c: ("replace", None)),
    "certificate a string": ("box", lambda c: ("replace", json.dumps(c))),
}

_SKIP = object()


def _apply(cert: dict[str, Any], edit: Callable[[dict[str, Any]], Any]) -> Any:
    out = edit(cert)
    if isinstance(out, tuple) and len(out) == 2 and out[0] == "replace":
        return out[1]
    if out is False:
        return _SKIP
    return cert


@pytest.mark.parametrize("name", list(TAMPERS))
def test_tampered_certificates_are_rejected_with_a_reason(certificates, name, tmp_path):
    base, edit = TAMPERS[name]
    tampered = _apply(copy.deepcopy(certificates[base]), edit)
    if tampered is _SKIP:
        pytest.skip("the field does not exist in this certificate format / harmless edit")
    canary = str(tmp_path / "canary")
    result = isolated(_recheck, tampered, canary)
    assert not isinstance(result, Raised), f"recheck raised {result.name}: {result.message}"
    valid, reason, fired = result
    assert not fired
    assert not valid, f"tampered certificate ({name}) accepted"
    assert reason.strip(), "rejected without a reason"


def test_untampered_base_certificates_recheck(certificates, tmp_path):
    for key, cert in certificates.items():
        valid, reason, _ = isolated(_recheck, cert, str(tmp_path / "canary"))
        assert valid, f"{key}: {reason}"


def _hostile_fields(cert: dict[str, Any], text: str) -> list[tuple[str, Any]]:
    """Copies of the certificate with ``text`` put into each formula field."""
    out = []

    def put(label: str, edit: Callable[[dict[str, Any]], None]) -> None:
        c = copy.deepcopy(cert)
        edit(c)
        out.append((label, c))

    put("statement", lambda c: c.update(statement=f"{text} <= 1"))
    put("statement rhs", lambda c: c.update(statement=f"x*(1 - x) <= {text}"))
    put("domain lo", lambda c: c["domain"]["x"].__setitem__(0, text))
    put("domain hi", lambda c: c["domain"]["x"].__setitem__(1, text))
    put("domain name", lambda c: c["domain"].__setitem__(text, ["0", "1", False, False]))
    put("leaf lo", lambda c: c["leaves"][0]["box"]["x"].__setitem__(0, text))
    put("leaf hi", lambda c: c["leaves"][0]["box"]["x"].__setitem__(1, text))
    put("leaf variable", lambda c: c["leaves"][0]["box"].__setitem__(text, ["0", "1"]))
    put("rule", lambda c: c["leaves"][0].update(rule=text))
    put("rule monotone variable", lambda c: c["leaves"][0].update(
        rule=f"monotone: increasing in {text} → interval"))
    put("digits", lambda c: c.update(digits=text))
    put("max_depth", lambda c: c.update(max_depth=text))
    put("relations", lambda c: c["domain"].__setitem__("relations", [text]))
    put("forms", lambda c: c.update(forms=[{"of": text, "form": text, "equal_by": text}]))
    put("source", lambda c: c.update(source=f"{text} <= 1"))
    return out


def _hostile_related(cert: dict[str, Any], text: str) -> list[tuple[str, Any]]:
    out = []
    for label, edit in [
            ("piece substitution", lambda c: _substituted_piece(c)["substitution"].update(
                y=text)),
            ("piece statement", lambda c: _substituted_piece(c).update(
                statement=f"{text} <= 1")),
            ("piece domain", lambda c: _substituted_piece(c)["domain"]["x"].__setitem__(1, text)),
            ("piece leaf", lambda c: _substituted_piece(c)["leaves"][0]["box"]["x"].__setitem__(
                1, text)),
            ("piece max_depth", lambda c: _substituted_piece(c).update(max_depth=text)),
            ("relation", lambda c: c["domain"].__setitem__("relations", [f"x < {text}"]))]:
        c = copy.deepcopy(cert)
        edit(c)
        out.append((label, c))
    return out


def _recheck_many(cases: list[tuple[str, Any]], canary: str) -> list[tuple[str, bool, str, bool, float]]:
    from fptheory.verify import recheck_certificate

    out = []
    for label, cert in cases:
        start = time.monotonic()
        try:
            ok = recheck_certificate(cert)
            valid, reason = bool(ok), str(ok.reason)
        except Exception as exc:  # noqa: BLE001 - must not happen
            valid, reason = True, f"RAISED {type(exc).__name__}: {str(exc)[:200]}"
        out.append((label, valid, reason, os.path.exists(canary), time.monotonic() - start))
    return out


@pytest.mark.parametrize("kind", ["code", "heavy"])
def test_hostile_text_in_every_field_is_never_executed_and_always_rejected(
        certificates, kind, tmp_path):
    canary = str(tmp_path / "canary")
    texts = _payloads(canary) if kind == "code" else _HEAVY
    failures = []
    for text in texts:
        cases = _hostile_fields(certificates["box"], text) + \
            _hostile_related(certificates["related"], text)
        # one child per text: a hang or a memory bomb is charged to this text
        try:
            results = isolated(_recheck_many, cases, canary, timeout=HANG_SECONDS)
        except AssertionError as exc:  # a hang: one is enough (each costs HANG_SECONDS)
            failures.append(f"{text[:50]!r}: {str(exc)[:200]} (the remaining texts not tried)")
            break
        if isinstance(results, Raised):
            failures.append(f"{text[:50]!r}: {results.name}: {results.message[:200]}")
            continue
        for label, valid, reason, fired, seconds in results:
            if fired:
                failures.append(f"{text[:50]!r} in {label}: EXECUTED (the canary fired)")
            elif valid:
                failures.append(f"{text[:50]!r} in {label}: accepted ({reason})")
            elif not reason.strip() or reason.startswith("RAISED"):
                failures.append(f"{text[:50]!r} in {label}: {reason or 'no reason'}")
            elif seconds > 20:
                failures.append(f"{text[:50]!r} in {label}: took {seconds:.0f} s")
        if os.path.exists(canary):
            os.remove(canary)
    assert not failures, "\n".join(failures[:40]) + \
        (f"\n... and {len(failures) - 40} more" if len(failures) > 40 else "")


def _nested(depth: int) -> Any:
    out: Any = "0"
    for _ in range(depth):
        out = [out]
    return out


STRUCTURAL = {
    "deeply nested leaf box": lambda c: c["leaves"][0]["box"].update(x=_nested(100000)),
    "deeply nested domain": lambda c: c["domain"].update(x=_nested(100000)),
    "deeply nested statement": lambda c: c.update(statement=_nested(100000)),
    "huge leaf list (copies)": lambda c: c.update(leaves=c["leaves"] * 30000),
    # 199999 tiny valid leaves and one gap: cheap coverage checks must come before the
    # (expensive) rule of every leaf, or a junk file ties the re-check up for minutes
    "huge leaf list (tiny boxes, one gap)": lambda c: c.update(leaves=[
        {"box": {"x": [f"{k}/200000", f"{k + 1}/200000"]}, "rule": "interval"}
        for k in range(200000) if k != 100000]),
    "huge leaf list of junk": lambda c: c.update(leaves=[{"box": {}, "rule": ""}] * 300000),
    "leaves not a list": lambda c: c.update(leaves="interval"),
    "leaf not an object": lambda c: c.update(leaves=[1, 2, 3]),
    "huge integer digits": lambda c: c.update(digits=2**4000),
    "huge numbers in a box": lambda c: c["leaves"][0]["box"]["x"].__setitem__(1, "1" + "0" * 4000),
    "long statement": lambda c: c.update(statement=" + ".join(["sin(x)"] * 20000) + " <= 1"),
}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.slow) if "tiny boxes" in n else n for n in STRUCTURAL])
def test_structurally_hostile_certificates_are_rejected_quickly(certificates, name, tmp_path):
    cert = copy.deepcopy(certificates["box"])
    STRUCTURAL[name](cert)
    canary = str(tmp_path / "canary")
    result = isolated(_recheck, cert, canary)
    assert not isinstance(result, Raised), f"recheck raised {result.name}: {result.message}"
    valid, reason, fired = result
    assert not fired and not valid and reason.strip(), (valid, reason)


def test_recheck_cli_rejects_a_tampered_file_with_exit_status_1(certificates, tmp_path):
    canary = str(tmp_path / "canary")
    cert = copy.deepcopy(certificates["box"])
    cert["statement"] = _payloads(canary)[0] + " <= 1"
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(cert))
    rc, out, err, _ = cli("recheck", str(path))
    assert rc != 0 and not os.path.exists(canary)
    assert "INVALID" in out or "error" in err


# ---------------------------------------------------------------------------------------
# the time limit is a deadline; bad options are one-line errors

HARD = [
    # degree-31 polynomial: sympy's solve for critical points ran past the deadline (17 s)
    ("3*x**31 - 7*x**29 + 5*x**23 - 11*x**17 + 2*x**13 - x**7 + 3*x**3 - x + 1/3 <= 100",
     "-1<=x<=1"),
    # sympy's solve on these derivatives did not return within minutes
    ("sin(x)**3*cos(x)**5 + tan(x)**2*sin(x) <= 10", "0<=x<=1"),
    ("sqrt(x**5 + 3*x + 1)*exp(x) - x**7 + sin(x)**2 <= 100", "0<=x<=1"),
    ("a**2 + b**2 >= 2*a*b*cos(t)", "-1<=a<=1, -1<=b<=1, 0<=t<=1"),
]


@pytest.mark.slow
@pytest.mark.parametrize("statement, domain", HARD)
def test_time_limit_is_a_real_deadline(statement, domain):
    """Wall-clock adherence, so run on a quiet machine (``-m slow``). Open finding: with the
    machine overloaded (load well above the cores), a child stayed more than 40 s past a
    1 s limit, twice in a row, on two of these statements (never reproduced on a quiet
    machine, where each ends at 1.0 s). The default suite keeps the deadline covered by
    tests/test_limits.py and test_cli_time_limit_is_a_real_deadline."""
    limit, slack = 1.0, 4.0
    start = time.monotonic()
    r = prove(statement, domain, time_limit=limit, timeout=limit + 40)
    elapsed = time.monotonic() - start
    assert elapsed <= limit + slack + 1.5, f"returned after {elapsed:.1f} s with time_limit={limit}"
    if isinstance(r, Raised):
        assert r.fptheory_error, f"raised {r.name}: {r.message}"


def test_cli_time_limit_is_a_real_deadline():
    statement, domain = HARD[1]
    rc, out, err, elapsed = cli("prove", statement, f"--assume={domain}", "--time-limit", "1",
                                "--json", timeout=60)
    assert elapsed <= 1 + 5, f"fptheory prove --time-limit 1 took {elapsed:.1f} s"


@pytest.mark.parametrize("option", [
    ("--max-boxes", "0"), ("--max-boxes", "-5"), ("--time-limit", "-1"), ("--time-limit", "0"),
    ("--time-limit", "nan"), ("--time-limit", "inf")])
def test_bad_budget_options_are_one_line_errors(option):
    rc, out, err, _ = cli("prove", "exp(x) >= 1 + x", "--assume=-1<=x<=1", *option, timeout=60)
    assert rc != 0, f"{option}: exit status 0"
    assert "verdict" not in out, f"{option}: ran anyway: {out}"
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert lines and "Traceback" not in err, err
    assert "error" in lines[-1].lower() and option[0].lstrip("-").split("-")[0] in \
        lines[-1].lower(), f"{option}: {err!r}"
    assert len([line for line in lines if "error" in line.lower()]) == 1, err


# ---------------------------------------------------------------------------------------
# new unsound cases found while writing this file (beyond the seven classes)
#
# In the prover before the kernel rewrite (commit 2b75269): FOUND below, the TypeError
# crashes of Max/Min over non-real values (UNDEFINED), the certificate of sqrt(x) <= 1 that
# its own recheck rejected (TRUE_STATEMENTS), two relations with one smaller side
# (NEVER_REFUTED), sympy's solve running minutes past --time-limit (HARD).
# In the rewritten kernel (while it was being written): COMPLEX_TYPED and the Python API
# case below, counterexample decimals outside the domain or not violating (WITNESS_CASES:
# x >= 1/2 on [1/3, 1], sin(x) < 1 on [0, pi/2], (x - 1/3)**2 > 0), an unchecked max_depth
# inside pieces (TAMPERS), 200 000-leaf junk certificates re-checked leaf by leaf for over
# a minute (STRUCTURAL, slow), and the typed statement kept in a side table by object
# identity (forgotten after 4096 other parses, for rel.reversed or a rebuilt relation:
# sqrt(x)**2 >= -1 on [-1, 1] certified; replaced since by certify taking the text).

#: statements the old prover certified or refuted wrongly, each with why
FOUND = [
    # certified: factor((x**2 - 1)/(x - 1)) = x + 1 was enclosed instead of the statement,
    # which is undefined (0/0) at x = 1
    ("(x**2 - 1)/(x - 1) >= 0", "0<=x<=2", "undefined"),
    ("(x**2 - 1)/(x - 1) >= 2", "1<=x<=2", "undefined"),
    # certified: Abs(x)/x read as sign(x) by the monotone/interval rules; undefined at 0
    ("Abs(x)/x >= -1", "-1<=x<=1", "undefined"),
    # certified: sign of a nan ball is [-1.01, 1.01]; sqrt(x) non-real for x < 0 — also
    # through Abs and Min, which crashed with TypeError in the sampler instead
    ("Abs(sign(sqrt(x))) <= 1.5", "-1<=x<=1", "undefined"),
    # refuted at x = 0.100000000000000005551115123126, outside 0 <= x <= 0.1 (read exactly)
    ("x <= 1/10", "0<=x<=0.1", "true"),
    # refuted at x = 0: binary 0.1 + 0.2 > binary 0.3; the statement is x + 3/10 <= x + 3/10
    ("x + 0.1 + 0.2 <= x + 0.3", "0<=x<=1", "true"),
    # certified although false at x = 1/3 - 1/(2*10**20) (factor dropped the 1e-20)
    ("(x - 1/3)*(x - 1/3 + 1e-20) >= 0", "0<=x<=1", "false"),
    # two relations sharing the smaller variable: the first piece lost x < y; refuted at
    # x = 0.86, y = 0.53, which is outside the domain
    ("sin(x) <= y", "0<=x<=1, 1/2<=y<=2, x<y, 0<=z<=1, x<z", "true"),
]


# accepted by the grammar, non-real as typed, real after sympy's evaluation: I**2 -> -1,
# exp(I*pi) -> -1, I - I -> 0, Abs(I*x) -> Abs(x). The kernel's rule is "every sub-term real
# and finite"; these have a non-real sub-term (I) at every point, and were certified.
COMPLEX_TYPED = [
    ("x + I**2 >= -2", "0<=x<=1"),
    ("exp(I*pi) + x >= -2", "0<=x<=1"),
    ("x + I - I >= 0", "0<=x<=1"),
    ("Abs(I*x) >= 0", "0<=x<=1"),
    ("x + I**2 == x - 1", "0<=x<=1"),  # the identity path too
]


@pytest.mark.parametrize("statement, domain", COMPLEX_TYPED)
def test_statements_with_non_real_sub_terms_are_never_certified(statement, domain):
    data = cli_json(statement, domain, "--time-limit", "3", "--max-boxes", "3000",
                    allow_refusal=True)
    r = _identity_result(data)
    assert r["verdict"] not in ("certified", "proved"), (
        f"{statement!r}: {r['verdict']}, though it has a non-real sub-term as typed")
    if r["verdict"] == "refuted":
        assert_genuine_witness(statement, domain, r, allow_undefined=True)


def test_the_python_api_keeps_the_typed_sub_terms():
    # certify(parse_statement(text), domain) certified "x/x >= 1" on [-1, 1]:
    # parse_statement hands on 1 >= 1. The text given to certify (as `prove` here does)
    # must be judged as typed; the relation path is pinned by the test below.
    for statement in ("x/x >= 1", "sqrt(x)**2 >= -1", "exp(log(x)) >= -1"):
        r = prove(statement, "-1<=x<=1", time_limit=3, max_boxes=3000)
        assert_refuted_or_unknown(statement, "-1<=x<=1", r)


def _typed_and_built(statement: str) -> tuple[str, str, str]:
    from fptheory.verify import Domain, certify, parse_statement

    domain = Domain.parse("-1<=x<=1")
    typed = certify(statement, domain, time_limit=3, max_boxes=3000)
    built = certify(parse_statement(statement), domain, time_limit=3, max_boxes=3000)
    return typed.verdict.value, built.verdict.value, built.statement


@pytest.mark.parametrize("statement, built_form", [
    ("sqrt(x)**2 >= -1", "x >= -1"), ("x/x >= 1", "1 >= 1"), ("log(x) - log(x) >= 0", "0 >= 0")])
def test_text_is_judged_as_typed_and_a_relation_as_sympy_built_it(statement, built_form):
    # The same call on the text refutes (a sub-term is undefined in the domain); on the
    # relation sympy built, the verdict is about that relation, and the result names it,
    # so no reader can mistake it for the typed statement. (A side table from the parsed
    # relation back to its text was tried and dropped: rebuilt, reversed or evicted
    # relations silently lost their typed form.)
    typed, built, shown = isolated(_typed_and_built, statement, timeout=120)
    assert typed == "refuted"
    assert shown == built_form and built == "certified"


@pytest.mark.parametrize("statement, domain, truth", FOUND)
def test_found_cases(statement, domain, truth):
    r = prove(statement, domain, time_limit=5, max_boxes=5000, samples=60)
    if truth == "undefined":
        assert_refuted_or_unknown(statement, domain, r)
    elif truth == "false":
        assert_refuted(statement, domain, r)
    else:
        assert not isinstance(r, Raised), f"raised {r.name}: {r.message}"
        if r["verdict"] == "refuted":
            assert_genuine_witness(statement, domain, r)
        assert r["verdict"] in ("certified", "unknown")


# ---------------------------------------------------------------------------------------
# property: random statements, judged by the exact reference at many points

_UNARY_SPECIALS = {
    "exp": (), "sin": (), "cos": (), "atan": (), "sinh": (), "cosh": (), "tanh": (),
    "log": ("zero",), "sqrt": ("zero",), "tan": ("tan",), "sec": ("tan",), "csc": ("kpi",),
    "cot": ("kpi",), "asin": ("pm1",), "acos": ("pm1",), "Abs": ("zero",),
    "sign": ("zero",), "Heaviside": ("zero",), "floor": ("int",),
    "asinh": (), "acosh": ("pm1",), "atanh": ("pm1",),
}
_DECIMALS = ["0.1", "1e-3", "2.5", "0.75", "3e-1", "1.5", "0.001", "1e-20", "0.3333", "7.25e-2",
             "0.5", "1e-17"]


@dataclass(frozen=True)
class Term:
    text: str
    affine: tuple[Fraction, Fraction] | None  # a*x + b
    specials: tuple[tuple[str, Fraction, Fraction], ...]  # (kind, a, b) of an affine argument


def _const_text(q: Fraction) -> str:
    return f"({q.numerator}/{q.denominator})" if q.denominator != 1 else f"({q.numerator})"


def _rational(rng: random.Random, lo: int = -9, hi: int = 9, nonzero: bool = False) -> Fraction:
    while True:
        q = Fraction(rng.randint(lo, hi), rng.choice([1, 1, 2, 3, 4, 5, 7]))
        if q or not nonzero:
            return q


def _leaf(rng: random.Random) -> Term:
    kind = rng.choices(["x", "affine", "const", "decimal"], weights=[3, 3, 1, 1.5])[0]
    if kind == "x":
        return Term("x", (Fraction(1), Fraction(0)), ())
    if kind == "const":
        q = _rational(rng)
        return Term(_const_text(q), (Fraction(0), q), ())
    if kind == "decimal":
        text, sign = rng.choice(_DECIMALS), rng.choice(["", "-"])
        return Term(f"({sign}{text})", (Fraction(0), Fraction(text) * (-1 if sign else 1)), ())
    a, b = _rational(rng, nonzero=True), _rational(rng)
    return Term(f"({_const_text(a)}*x + {_const_text(b)})", (a, b), ())


def _specials_of(kinds: tuple[str, ...], arg: Term) -> tuple[tuple[str, Fraction, Fraction], ...]:
    if arg.affine is None or arg.affine[0] == 0:
        return ()
    a, b = arg.affine
    return tuple((k, a, b) for k in kinds)


def _term(rng: random.Random, depth: int = 0) -> Term:
    if depth >= 3 or rng.random() < 0.2 + 0.25 * depth:
        return _leaf(rng)
    kind = rng.choices(["unary", "binary", "pow", "maxmin"], weights=[5, 3, 1.5, 1])[0]
    if kind == "unary":
        f = rng.choice(sorted(_UNARY_SPECIALS))
        arg = _term(rng, depth + 1)
        return Term(f"{f}({arg.text})", None, arg.specials + _specials_of(_UNARY_SPECIALS[f], arg))
    if kind == "pow":
        base = _term(rng, depth + 1)
        e = rng.choice(["2", "3", "(-1)", "(-2)", "(1/2)", "(1/3)", "0.5"])
        bad = ("zero",) if e in ("(-1)", "(-2)", "(1/2)", "(1/3)", "0.5") else ()
        return Term(f"({base.text})**{e}", None, base.specials + _specials_of(bad, base))
    left, right = _term(rng, depth + 1), _term(rng, depth + 1)
    specials = left.specials + right.specials
    if kind == "maxmin":
        f = rng.choice(["Max", "Min"])
        if left.affine and right.affine and left.affine[0] != right.affine[0]:
            (a1, b1), (a2, b2) = left.affine, right.affine
            specials += (("zero", a1 - a2, b1 - b2),)
        return Term(f"{f}({left.text}, {right.text})", None, specials)
    op = rng.choice(["+", "-", "*", "/"])
    affine = None
    if left.affine and right.affine:
        (a1, b1), (a2, b2) = left.affine, right.affine
        if op in "+-":
            sign = 1 if op == "+" else -1
            affine = (a1 + sign * a2, b1 + sign * b2)
        elif op == "*" and (a1 == 0 or a2 == 0):
            affine = (a1 * b2 + a2 * b1, b1 * b2)
        elif op == "/" and a2 == 0 and b2 != 0:
            affine = (a1 / b2, b1 / b2)
    if op == "/":
        specials += _specials_of(("zero",), right)
    return Term(f"({left.text} {op} {right.text})", affine, specials)


def _special_points(specials, lo: Fraction, hi: Fraction) -> list[sp.Expr]:
    """Exact x in [lo, hi] where an inserted sub-term jumps, has a pole, or leaves its
    domain."""
    out: list[sp.Expr] = []
    los, his = sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)
    for kind, a, b in specials:
        ua, ub = sorted((a * lo + b, a * hi + b))
        A, B = sp.Rational(a.numerator, a.denominator), sp.Rational(b.numerator, b.denominator)
        if kind == "zero":
            values = [sp.Integer(0)]
        elif kind == "pm1":
            values = [sp.Integer(-1), sp.Integer(1)]
        elif kind == "int":
            values = [sp.Integer(k) for k in range(math.ceil(ua), math.floor(ub) + 1)][:12]
        elif kind in ("tan", "kpi"):
            shift = sp.pi / 2 if kind == "tan" else sp.Integer(0)
            k0 = math.floor((float(ua) - float(shift)) / math.pi) - 1
            values = [shift + k * sp.pi for k in range(k0, k0 + 4 + int((ub - ua) / 3))][:12]
        else:
            values = []
        for c in values:
            x0 = (c - B) / A
            if bool(x0 >= los) and bool(x0 <= his):
                out.append(x0)
    return out


@dataclass(frozen=True)
class Case:
    statement: str
    domain: str
    lo: Fraction
    hi: Fraction
    lo_open: bool
    hi_open: bool
    specials: tuple
    seed: int


def _extreme_text(term: Term, lo: Fraction, hi: Fraction, rng: random.Random,
                  largest: bool) -> str | None:
    """A decimal near the largest (smallest) value of the term on a grid of the box, as
    text (20 digits), nudged by 0 or ±10^-k: a bound that is tight or just wrong."""
    x = sp.Symbol("x", real=True)
    try:
        f = sp.lambdify(x, exact(term.text), "mpmath")
    except Exception:  # noqa: BLE001 - a form lambdify cannot take: no tight bound
        return None
    import mpmath

    values = []
    with mpmath.workdps(30):
        start = mpmath.mpf(lo.numerator) / lo.denominator
        step = mpmath.mpf((hi - lo).numerator) / (hi - lo).denominator / 40
        for k in range(41):
            try:
                v = f(start + k * step)
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            if isinstance(v, mpmath.mpf) and mpmath.isfinite(v) and abs(v) < 1e12:
                values.append(v)
        if not values:
            return None
        v = max(values) if largest else min(values)
        v += rng.choice([0, 0, 1, -1]) * mpmath.mpf(10) ** -rng.choice([3, 12, 25])
        return mpmath.nstr(v, 20, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)


@st.composite
def cases(draw: Callable[..., Any]) -> Case:
    """A random statement over a random small box, from a seed (hypothesis draws the seed,
    so the default profile's examples are fixed; the generator is plain random so that 40
    examples are varied, not hypothesis' simplest ones)."""
    seed = draw(st.integers(0, 2**63 - 1))
    rng = random.Random(seed)
    lhs = _term(rng)
    specials = lhs.specials
    lo = Fraction(rng.randint(-24, 24), rng.choice([1, 2, 3, 4, 8]))
    hi = lo + Fraction(rng.randint(1, 24), rng.choice([1, 2, 3, 4, 8]))
    fixed = [(k, a, b) for k, a, b in specials if k in ("zero", "pm1")]
    if fixed and rng.random() < 0.6:  # put a jump/pole inside the box
        k, a, b = rng.choice(fixed)
        c = Fraction(0) if k == "zero" else Fraction(rng.choice([-1, 1]))
        x0 = (c - b) / a
        lo = x0 - Fraction(rng.randint(1, 8), rng.choice([2, 3, 7]))
        hi = x0 + Fraction(rng.randint(0, 8), rng.choice([2, 3, 7]))
        if hi <= lo:
            hi = lo + 1
    how = rng.random()
    op = rng.choice(["<=", "<", ">=", ">"])
    rhs_text = None
    if how < 0.45:  # a bound near the extreme value: tight, or wrong by a hair
        rhs_text = _extreme_text(lhs, lo, hi, rng, largest=op in ("<=", "<"))
    if rhs_text is None:
        rhs = _leaf(rng) if how < 0.8 else _term(rng, 2)
        rhs_text, specials = rhs.text, specials + rhs.specials
    lo_open, hi_open = rng.choice([(False, False)] * 3 + [(True, False), (False, True)])
    domain = (f"{_frac_text(lo)}{'<' if lo_open else '<='}x"
              f"{'<' if hi_open else '<='}{_frac_text(hi)}")
    return Case(f"{lhs.text} {op} {rhs_text}", domain, lo, hi, lo_open, hi_open, specials,
                rng.randrange(2**31))


def _frac_text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _check_points(case: Case) -> list[sp.Expr]:
    lo = sp.Rational(case.lo.numerator, case.lo.denominator)
    hi = sp.Rational(case.hi.numerator, case.hi.denominator)
    rng = random.Random(case.seed)
    pts = [lo, hi, (lo + hi) / 2, lo + (hi - lo) / 3, lo + (hi - lo) * 2 / 3]
    pts += [lo + sp.Rational(rng.randrange(1, 2**20), 2**20) * (hi - lo) for _ in range(6)]
    for s in _special_points(case.specials, case.lo, case.hi):
        pts.append(s)
        for j in (3, 12, 30):
            for d in (sp.Rational(1, 10**j), -sp.Rational(1, 10**j)):
                p = s + d
                if bool(p >= lo) and bool(p <= hi):
                    pts.append(p)
    out = []
    for p in pts:
        if (case.lo_open and p == lo) or (case.hi_open and p == hi):
            continue
        if p not in out:
            out.append(p)
    return out[:40]


def _judge(case: Case, result: dict[str, Any] | Raised) -> None:
    note(f"statement {case.statement!r} on {case.domain!r}")
    if isinstance(result, Raised):
        note(f"raised {result.name}: {result.message[:300]}")
        assert result.fptheory_error, f"crashed: {result.name}: {result.message[:300]}"
        return
    note(f"verdict {result['verdict']} {result['counterexample']} {result['reason'][:200]!r}")
    x = sp.Symbol("x", real=True)
    if result["verdict"] == "certified":
        bad = []
        for p in _check_points(case):
            status = status_at(case.statement, {x: p})
            if status in ("violated", "undefined"):
                bad.append(f"x = {p}: {status}")
                break
        assert not bad, f"certified, but {bad[0]}: {case.statement!r} on {case.domain!r}"
    elif result["verdict"] == "refuted":
        assert_genuine_witness(case.statement, case.domain, result, allow_undefined=True)
    elif result["verdict"] == "unknown":
        assert result["reason"]


def _property_check(case: Case) -> None:
    result = prove(case.statement, case.domain, timeout=40, time_limit=2, max_boxes=400,
                   samples=30)
    _judge(case, result)


_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]  # no shrinking: each call costs seconds


@settings(max_examples=40, deadline=None, phases=_PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_random_statements_are_never_certified_wrongly(case):
    _property_check(case)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, phases=_PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_random_statements_are_never_certified_wrongly_many(case):
    _property_check(case)

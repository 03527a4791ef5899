"""Hard limits for symbolic work: a wall-clock deadline that interrupts sympy.

sympy has no timeouts: ``simplify``, ``factor`` or ``solve`` on an unlucky input run for
minutes. Every sympy call the prover makes on a user's expression runs inside
:func:`deadline`, which arms a real-time timer (``SIGALRM``) and raises
:class:`DeadlineExceeded` in the middle of the computation when it fires.
:class:`DeadlineExceeded` derives from ``BaseException`` so that sympy's own
``except Exception`` blocks cannot swallow it.

Signals reach only the main thread; elsewhere (a worker thread) the step is skipped unless
the caller allows it to run unguarded: a step that cannot be bounded is not run.

>>> with deadline(5):
...     sum(range(10))
45
>>> import time
>>> try:
...     with deadline(0.05):
...         time.sleep(1)
... except DeadlineExceeded:
...     print("stopped")
stopped
"""

from __future__ import annotations

from fptheory.core.deadlines import (  # noqa: F401 - re-exported: the generic deadline code
    DeadlineExceeded,
    _can_signal,
    bounded,
    deadline,
    guard,
    remaining,
)

__all__ = ["DeadlineExceeded", "deadline", "guard", "bounded", "remaining", "manageable", "tame"]


#: the largest exponent (of a power, or of an exponential's coefficient, which rewriting
#: turns into one) for which polynomial algorithms run: above it sympy hands the work to
#: compiled code (flint's factorisation, gcds) that a signal cannot interrupt
MAX_ALGEBRA_DEGREE = 200
MAX_ALGEBRA_OPS = 400


def manageable(expr: object) -> bool:
    """Whether polynomial algebra on ``expr`` (factor, cancel, solve, simplify) stays within
    limits that a :func:`deadline` can enforce: no power or exponential coefficient above
    :data:`MAX_ALGEBRA_DEGREE` (:func:`tame`), at most :data:`MAX_ALGEBRA_OPS` operations.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> manageable(x**3 - 2*x), manageable(x**1000000 - 1), manageable(sp.exp(10**6 * x))
    (True, False, False)
    """
    import sympy as sp

    if not isinstance(expr, sp.Basic):
        return True
    return sp.count_ops(expr) <= MAX_ALGEBRA_OPS and tame(expr)


def tame(expr: object) -> bool:
    """No power and no function's argument coefficient above :data:`MAX_ALGEBRA_DEGREE`,
    whatever the expression's size. sympy's algebra on such a term does not merely run long:
    ``simplify(1/(1 + exp(-10**12)))`` treats exp(-10^12) as a power of E of that degree, and
    flint's gcd then kills the interpreter with a floating-point exception or exhausts
    memory, neither of which a deadline can stop. Every exact value a check simplifies
    (a point substituted into a statement, a certificate's ends) passes this test first.

    >>> import sympy as sp
    >>> tame(sp.exp(-10**12)), tame(sp.Rational(1, 10**1000)), tame(sp.sqrt(2) + sp.pi)
    (False, True, True)
    """
    import sympy as sp

    if not isinstance(expr, sp.Basic):
        return True
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_Rational:
            if abs(node.exp.p) > MAX_ALGEBRA_DEGREE or abs(node.exp.q) > MAX_ALGEBRA_DEGREE:
                return False
        if isinstance(node, sp.Function) and node.args and isinstance(node.args[0], sp.Expr):
            for term in sp.Add.make_args(node.args[0]):
                c = term.as_coeff_Mul()[0]
                if c.is_Rational and (abs(c.p) > MAX_ALGEBRA_DEGREE or c.q > MAX_ALGEBRA_DEGREE):
                    return False
    return True

"""sech² = tanh': its spectrum's exponential decay rate, measured by FFT and derived by the engine."""
import json
import sys
from pathlib import Path

import numpy as np
import sympy as sp

from fptheory import decay_of, fourier_transform
from fptheory.report.studies import numerics_main

SIZES = {"quick": 2**12, "paper": 2**16}  # grid points on [-40, 40)


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    """sech² = tanh': the decay rate of its transform, FFT against the engine (§1.1.1)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shift = np.random.default_rng(seed).uniform(-1, 1)  # |F| does not depend on a shift
    x, dx = np.linspace(-40, 40, SIZES[size], endpoint=False, retstep=True)
    k = 2 * np.pi * np.fft.rfftfreq(x.size, dx)
    measured = np.abs(np.fft.rfft(1 / np.cosh(x - shift) ** 2)) * dx  # |∫ f e^{-ikx} dx|
    transform = fourier_transform("sech(x)**2")
    decay = decay_of(transform)  # |F(k)| ~ C k^power exp(-rate k)
    band = (k > 2) & (k < 16)
    slope = np.polyfit(k[band], np.log(measured[band] / k[band] ** float(decay.power)), 1)[0]
    rate = float(decay.rate)
    holds = bool(abs(-slope / rate - 1) < 0.01)

    import matplotlib.pyplot as plt

    exact = sp.lambdify(sp.Symbol("k", real=True), transform.regular, "numpy")  # F is in k
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(k[1:200], measured[1:200], ".", label="FFT of sech²(x − b)")
    ax.semilogy(k[1:200], np.abs(exact(k[1:200])), "-", label=f"engine: {transform.regular}")
    ax.set_xlabel("k (angular)")
    ax.legend()
    fig.tight_layout()
    figure = out_dir / "my_study.png"
    fig.savefig(figure, dpi=100)
    plt.close(fig)

    result = {
        "study": "my_study", "title": "Decay rate of the sech² spectrum", "chapter": "§1.1.1, (1.2)",
        "verdict": f"measured rate {-slope:.4f}, engine's {decay.rate} = {rate:.4f} "
                   f"(ratio {-slope / rate:.4f}; within 1 %: {holds})",
        "prediction_holds": holds, "figures": [str(figure)],
        "measured_rate": float(-slope), "engine_rate": rate, "shift": float(shift), "size": size,
    }
    result["json"] = str(out_dir / "my_study.json")
    Path(result["json"]).write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    sys.exit(numerics_main(run))

"""fptheory.nets.spectral against independent computations (numpy FFT, brute-force loops, scipy)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import cdist

from fptheory.core.errors import FPTheoryError
from fptheory.nets.spectral import (
    bin_frequencies,
    convergence_epoch,
    dft_submatrix,
    filtered_errors,
    high_frequency_rms,
    lowpass_filter,
    relative_error,
    select_peaks,
    shell_errors,
    shell_index,
    uniform_grid,
)

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


def test_peaks_of_the_chapter_target_are_the_bins_1_3_5_and_bins_are_angular_frequencies():
    x = uniform_grid(64, -np.pi, np.pi)
    f = np.sin(x) + np.sin(3 * x) + np.sin(5 * x)
    peaks = select_peaks(f)
    assert peaks.tolist() == [1, 3, 5]
    assert bin_frequencies(64, 2 * np.pi)[peaks].tolist() == pytest.approx([1, 3, 5])
    # n_peaks keeps the largest, sorted by frequency
    g = np.sin(x) + 3 * np.sin(3 * x) + 2 * np.sin(5 * x)
    assert select_peaks(g, n_peaks=2).tolist() == [3, 5]


def test_peaks_ignore_rounding_noise_and_reject_bad_targets():
    x = uniform_grid(32, 0, 2 * np.pi)
    assert select_peaks(np.cos(4 * x)).tolist() == [4]
    with pytest.raises(FPTheoryError):
        select_peaks(np.zeros(16))
    with pytest.raises(FPTheoryError):
        select_peaks(np.array([1.0, np.nan, 0.0, 1.0, 2.0]))


@given(arrays(np.float64, st.integers(4, 40), elements=finite), st.data())
@settings(max_examples=50, deadline=None)
def test_dft_submatrix_equals_numpy_fft_at_the_bins(y, data):
    bins = data.draw(st.lists(st.integers(0, y.size - 1), min_size=1, max_size=5))
    assert np.allclose(y @ dft_submatrix(y.size, bins), np.fft.fft(y)[bins], atol=1e-9)


@given(st.complex_numbers(max_magnitude=1e3, allow_nan=False, allow_infinity=False),
       st.complex_numbers(min_magnitude=1e-3, max_magnitude=1e3, allow_nan=False, allow_infinity=False))
def test_magnitude_error_never_exceeds_the_complex_one(h, f):
    c = relative_error(np.array([h]), np.array([f]))[0]
    m = relative_error(np.array([h]), np.array([f]), "magnitude")[0]
    assert m <= c * (1 + 1e-12) + 1e-12
    assert c == pytest.approx(abs(h - f) / abs(f))


def test_complex_error_sees_a_phase_error_the_magnitude_variant_misses():
    f = np.array([2.0 + 0j])
    assert relative_error(-f, f)[0] == pytest.approx(2.0)
    assert relative_error(-f, f, "magnitude")[0] == 0.0
    with pytest.raises(FPTheoryError):
        relative_error(f, f, "phase")


def _brute_convergence(row, threshold, run):
    for start in range(len(row) - run + 1):
        if all(v < threshold for v in row[start:start + run]):
            return start
    return None


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 30)),
              elements=st.floats(0, 1, allow_nan=False)), st.integers(1, 6))
@settings(max_examples=80, deadline=None)
def test_convergence_epoch_matches_a_brute_force_scan(errors, run):
    got = convergence_epoch(errors, 0.5, run)
    assert got == [_brute_convergence(list(r), 0.5, run) for r in errors]


def test_convergence_epoch_uses_the_epoch_numbers_and_treats_nan_as_not_converged():
    err = np.array([[0.9, 0.01, np.nan, 0.01, 0.01]])
    assert convergence_epoch(err, 0.1, 2, epochs=np.array([0, 10, 20, 30, 40])) == [30]
    with pytest.raises(FPTheoryError):
        convergence_epoch(err, 0.0, 2)


@given(st.integers(2, 40), st.integers(1, 2), st.floats(0.01, 2.0), st.integers(1, 7))
@settings(max_examples=30, deadline=None)
def test_lowpass_filter_in_blocks_equals_the_dense_kernel(n, d, delta, block):
    rng = np.random.default_rng(n * 10 + d)
    pts = rng.uniform(-1, 1, size=(n, d))
    vals = rng.normal(size=(3, n))
    g = np.exp(-cdist(pts, pts, "sqeuclidean") / (2 * delta))
    dense = vals @ g.T / g.sum(axis=1)
    assert np.allclose(lowpass_filter(pts, vals, delta, block=block), dense, atol=1e-12)


def test_filtered_errors_of_the_target_itself_and_of_its_low_part():
    x = np.linspace(-1, 1, 200)
    target = np.sin(2 * x) + 0.3 * np.sin(40 * x)
    low = lowpass_filter(x, target, 0.01)
    errs = filtered_errors(x, target, np.vstack([target, low]), [0.01])
    assert errs["e_low"][0, 0] == pytest.approx(0, abs=1e-12)
    assert errs["e_high"][0, 0] == pytest.approx(0, abs=1e-12)
    # the low part alone: its low part differs only by the second smoothing, its high part is wrong
    assert errs["e_high"][0, 1] > 0.5
    with pytest.raises(FPTheoryError):
        lowpass_filter(x, target, -1.0)


def test_shell_errors_zero_for_equal_spectra_and_one_for_a_zero_prediction():
    rng = np.random.default_rng(0)
    img = rng.normal(size=(8, 8))
    shells = shell_index(img.shape, 4)
    spec = np.fft.fft2(img)
    assert np.allclose(shell_errors(spec, spec, shells, 4), 0)
    assert np.allclose(shell_errors(np.zeros_like(spec), spec, shells, 4), 1)
    assert shells[0, 0] == -1 and shells.max() == 3


def test_high_frequency_rms_by_parseval_for_two_sines():
    x = uniform_grid(256, -np.pi, np.pi)
    y = np.sin(3 * x) + 0.5 * np.sin(20 * x)
    assert high_frequency_rms(y, 2 * np.pi, 10) == pytest.approx(0.5 / math.sqrt(2), rel=1e-12)
    assert high_frequency_rms(y, 2 * np.pi, 25) == pytest.approx(0, abs=1e-12)
    img = np.outer(np.ones(16), np.cos(2 * np.pi * 6 * np.arange(16) / 16))  # 6 cycles along axis 1
    assert high_frequency_rms(img, 16, 2 * np.pi * 5 / 16) == pytest.approx(1 / math.sqrt(2), rel=1e-12)


def test_grid_rejects_bad_input():
    with pytest.raises(FPTheoryError):
        uniform_grid(1, 0, 1)
    with pytest.raises(FPTheoryError):
        uniform_grid(8, 1, 0)
    with pytest.raises(FPTheoryError):
        dft_submatrix(8, [8])

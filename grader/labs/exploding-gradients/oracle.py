"""Generates reference/exploding-gradients.json from the lab itself (the numpy oracle).

Runs the lab's own code (reference/lab/exploding_gradients_notebook.py) as a script, captures what
it printed and the arrays its printed block and its three figures need, and writes them with their
provenance (the lab file's sha256, the Python and numpy versions). Every number comes from the
lab's functions or from the lab's own run: the knobs (weight, steps, max_norm, the data range) are
read from the lab's globals, not typed here. The few extra inputs below (the values the lab prints
at, the edge cases of the contract) are inputs only: their answers are the lab's.

Usage (from anywhere; paths default to the kit's):
    python3 grader/labs/exploding-gradients/oracle.py [LAB] [OUT]
"""
import contextlib
import hashlib
import io
import json
import math
import os
import platform
import runpy
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
LAB = "reference/lab/exploding_gradients_notebook.py"
OUT = "reference/exploding-gradients.json"

# Inputs the lab prints at (its own literals, repeated here because they are not globals).
RELU_AT = [-2.0, 0.0, 3.0]
NORM_OF = [3.0, 4.0]
CLIP_PRINTED = [([3.0, 4.0], 1.0), ([0.3, 0.4], 1.0)]

# The contract's edge cases (LAB.md): inputs only, answered by the lab's functions.
NORM_EDGES = [[], [0.0, 0.0], [-3.0, 4.0], [1.0, 2.0, 2.0], [5.0]]
CLIP_EDGES = [
    ([3.0, 4.0], 5.0),              # a norm equal to max_norm: left as it is
    ([0.0, 0.0], 1.0),              # the zero vector
    ([], 1.0),                      # the empty vector
    ([-6.0, 8.0, 0.0], 2.5),        # over the cap, with a sign and a zero
    ([1.0, -2.0, 2.0, 4.0], 0.5),   # over the cap, four elements
    ([0.1, -0.2], 3.0),             # well within
]
GROWTH_EDGES = [(0, 1.5), (1, 1.5), (10, 0.5), (10, 1.0), (6, -1.5), (5, 0.0)]
# Calls the lab refuses (ValueError in numpy, RangeError in the kit).
RAISES = [("clipByNorm", [[3.0, 4.0], m]) for m in (0.0, -1.0, float("nan"), float("inf"), float("-inf"))] + \
         [("simulateGrowth", [s, 1.5]) for s in (-1, 2.5, float("nan"), float("inf"))]


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def number(v):
    """A number for JSON: NaN and the infinities, which JSON lacks, as the strings JavaScript prints."""
    if isinstance(v, list):
        return [number(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, LAB)
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, OUT)
    shown = os.path.relpath(os.path.abspath(lab), ROOT)
    if shown.startswith(".."):
        shown = lab
    source = open(lab, "rb").read()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        g = runpy.run_path(lab, run_name="__main__")
    relu, relu_gradient, l2_norm = g["relu"], g["relu_gradient"], g["l2_norm"]
    clip_by_norm, simulate_growth = g["clip_by_norm"], g["simulate_growth"]

    # The knobs, as the lab set them.
    weight, steps, max_norm, x = g["weight"], g["steps"], g["max_norm"], g["x"]
    start, stop, num = float(x[0]), float(x[-1]), int(len(x))
    assert np.array_equal(x, np.linspace(start, stop, num)), "the lab's data is not linspace(start, stop, num)"
    growth = g["growth"]
    assert growth == simulate_growth(steps, weight)
    g0 = np.asarray(g["g0"], dtype=float)
    scaled = [g0 * w for w in growth]
    clipped_vectors = [clip_by_norm(v, max_norm) for v in scaled]
    assert [l2_norm(v) for v in scaled] == g["raw"]
    assert [l2_norm(v) for v in clipped_vectors] == g["clipped"]

    raises = []
    for fn, args in RAISES:
        py = {"clipByNorm": clip_by_norm, "simulateGrowth": simulate_growth}[fn]
        try:
            py(*args)
        except ValueError as err:
            raises.append({"fn": fn, "args": number(args), "error": type(err).__name__, "message": str(err)})
        else:
            raise AssertionError(f"the lab accepted {fn}{tuple(args)}")

    reference = {
        "provenance": {
            "generatedBy": "python3 grader/labs/exploding-gradients/oracle.py",
            "lab": shown,
            "labSha256": hashlib.sha256(source).hexdigest(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "note": "Every value below was computed by the lab's numpy code; none was typed by hand. "
                    "Keys use the kit's function names (reluGradient is the lab's relu_gradient, and so on).",
        },
        "knobs": {
            "weight": float(weight),
            "steps": int(steps),
            "maxNorm": float(max_norm),
            "range": {"start": start, "stop": stop, "num": num},
        },
        # Figure 1: relu and its gradient over the data.
        "data": {"start": start, "stop": stop, "num": num, "values": floats(x)},
        "relu": floats(relu(x)),
        "reluGradient": floats(relu_gradient(x)),
        "stats": {
            "reluMax": float(np.max(relu(x))), "reluMin": float(np.min(relu(x))),
            "reluGradientMax": float(np.max(relu_gradient(x))), "reluGradientMin": float(np.min(relu_gradient(x))),
        },
        "reluAt": {"x": RELU_AT, "relu": floats(relu(np.array(RELU_AT))), "reluGradient": floats(relu_gradient(np.array(RELU_AT)))},
        # Figure 2: the running product.
        "growth": {"steps": int(steps), "weight": float(weight), "values": [float(v) for v in growth]},
        "norm": {"v": NORM_OF, "value": l2_norm(NORM_OF)},
        "clip": [{"grad": grad, "maxNorm": m, "clipped": floats(clip_by_norm(grad, m))} for grad, m in CLIP_PRINTED],
        # Figure 3: a gradient of norm 1 carried back `steps` layers, raw and clipped at each step.
        "clipping": {
            "gradient": floats(g0),
            "maxNorm": float(max_norm),
            "scaled": [floats(v) for v in scaled],
            "clippedVectors": [floats(v) for v in clipped_vectors],
            "raw": [float(v) for v in g["raw"]],
            "clipped": [float(v) for v in g["clipped"]],
        },
        "edges": {
            "l2Norm": [{"v": v, "value": l2_norm(v)} for v in NORM_EDGES],
            "clipByNorm": [{"grad": grad, "maxNorm": m, "clipped": floats(clip_by_norm(grad, m))} for grad, m in CLIP_EDGES],
            "simulateGrowth": [{"steps": s, "weight": w, "values": [float(v) for v in simulate_growth(s, w)]} for s, w in GROWTH_EDGES],
            "raises": raises,
        },
        "printed": printed.getvalue(),
    }
    with open(out + ".tmp", "w") as f:
        json.dump(reference, f, indent=1, allow_nan=False)
        f.write("\n")
    os.replace(out + ".tmp", out)
    print(f"wrote {os.path.relpath(out)} from {shown} (sha256 {reference['provenance']['labSha256'][:12]}…, numpy {np.__version__})")


if __name__ == "__main__":
    main()

"""Generates reference/vanishing-gradients.json from the lab itself (the numpy oracle).

Runs the lab's own code (reference/lab/vanishing_gradients_notebook.py, the notebook made runnable),
captures what it printed and the arrays it computed, and writes them with their provenance.
Nothing in the output is typed by hand. Usage (from the kit's root): npm run make:reference
"""
import contextlib
import hashlib
import io
import json
import platform
import runpy
import sys

import numpy as np

LAB = "reference/lab/vanishing_gradients_notebook.py"
OUT = "reference/vanishing-gradients.json"


# Inputs that exercise Python's float formatting: exponent thresholds, ties, signs.
FORMAT_PROBES = [5.0, -5.0, 0.25, 0.000244140625, 6.103515625e-05, 1e-05, 0.0001, 1e16, 1e15 + 0.5,
                 123456789.125, 0.1 + 0.2, 0.125, 0.0625, 2.5, 0.0005, 0.00015, 0.9933071490757153,
                 0.0066928509242848554, 0.2498406452423726, -0.0, 1e22, 3.0517578125e-05, 1.5e-300]


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else LAB
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    source = open(lab, "rb").read()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        g = runpy.run_path(lab, run_name="__main__")
    sigmoid, sigmoid_gradient = g["sigmoid"], g["sigmoid_gradient"]
    # The lab rebinds x to the decay's input, so the data is rebuilt with the lab's own call.
    data = np.linspace(-5, 5, 100)
    assert np.array_equal(sigmoid(data), g["activations"]), "the lab's activations are not sigmoid(linspace(-5, 5, 100))"
    reference = {
        "provenance": {
            "generatedBy": "npm run make:reference (grader/labs/vanishing-gradients/oracle.py)",
            "lab": lab,
            "labSha256": hashlib.sha256(source).hexdigest(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "note": "Every value below was computed by the lab's numpy code; none was typed by hand.",
        },
        "data": {"start": -5, "stop": 5, "num": 100, "values": floats(data)},
        "activations": floats(g["activations"]),
        "gradients": floats(g["gradients"]),
        "tangent": {
            "xTan": float(g["x_tan"]),
            "span": float(g["span"]),
            "x": floats(g["data_tan"]),
            "y": floats(g["tan"]),
            "slope": float(g["gradient_tan"]),
            "point": {"x": float(g["x_tan"]), "y": float(g["y_tan"])},
        },
        "stats": {
            "xMax": float(np.max(data)), "xMin": float(np.min(data)),
            "sigmoidMax": float(np.max(g["activations"])), "sigmoidMin": float(np.min(g["activations"])),
            "gradientMax": float(np.max(g["gradients"])), "gradientMin": float(np.min(g["gradients"])),
        },
        "decay": {
            "steps": int(g["n"]),
            "x": float(g["x"]),
            "sigmoid": float(sigmoid(g["x"])),
            "gradient": float(g["grad"]),
            "values": floats(g["vals"]),
        },
        "printed": printed.getvalue(),
        # How Python prints floats, for the kit's formatting of the printed block (repr, .3f, .5f).
        "formatting": [
            {"value": v, "repr": repr(v), "fixed3": "{:.3f}".format(v), "fixed5": "{:.5f}".format(v)}
            for v in FORMAT_PROBES
        ],
    }
    with open(out + ".tmp", "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    import os
    os.replace(out + ".tmp", out)
    print(f"wrote {out} from {lab} (sha256 {reference['provenance']['labSha256'][:12]}…, numpy {np.__version__})")


if __name__ == "__main__":
    main()

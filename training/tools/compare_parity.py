"""Compares two parity files (same inputs, outputs within the tolerance): exit 1 on any difference.

    compare_parity.py EXPECTED.json ACTUAL.json
"""
import json
import sys


def flat(x):
    return [v for y in x for v in flat(y)] if isinstance(x, list) else [x]


def main(expected_path, actual_path):
    expected, actual = json.load(open(expected_path)), json.load(open(actual_path))
    tol = float(expected.get("tolerance", 1e-5))
    if expected["inputs"] != actual["inputs"]:
        print("parity inputs differ", file=sys.stderr)
        return 1
    worst = 0.0
    for model, body in expected["models"].items():
        for name, values in body["outputs"].items():
            got = flat(actual["models"][model]["outputs"][name])
            want = flat(values)
            if len(got) != len(want):
                print(f"{model} {name}: {len(got)} values, expected {len(want)}", file=sys.stderr)
                return 1
            worst = max([worst] + [abs(a - b) for a, b in zip(got, want)])
    print(f"parity: max |diff| {worst:.2e} (tolerance {tol:.0e})")
    return 0 if worst <= tol else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

"""Ablations of the MiSTER-E head (issue #6): trains each variant with the shipped recipe on one
embeddings directory, evaluates the selected checkpoint (torch) on MELD dev and EmoDB speaker 13, and
writes a markdown table and a JSON file.

    /usr/bin/python3 training/tools/ablations.py EMBEDDINGS_DIR [--out training/runs/ablations/NAME]
        [--variants full,text-only,...] [--reference-seeds 14,15] [--more-seeds 14] [--epochs N] [--resume]
        [--synthetic]

EMBEDDINGS_DIR holds what `training/train.sh` writes: meld-train.avro, emodb-train.avro (optional),
dev.avro (MELD dev: selection and the headline) and heldout.avro (EmoDB speaker 13; optional).
Every variant is the shipped recipe (train.sh's HEAD_ARGS and PAIR_ARGS, seed 13, one thread) plus
one change; variants run one after another, each in its own process, and the table and JSON are
rewritten after each one (so an interrupted run keeps what it finished; --resume skips finished
variants). --reference-seeds retrains the full model with other seeds: the spread of those rows is
the seed noise the other differences must be read against; --more-seeds repeats every variant with
other seeds (after the --seed pass) and adds a per-variant table over the seeds.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

TRAINING = Path(__file__).resolve().parents[1]
REPO = TRAINING.parent

# train.sh's shipped recipe (mister-e-meld-2); HEAD_ARGS / PAIR_ARGS in the environment override it,
# as they do for train.sh.
HEAD_ARGS = os.environ.get("HEAD_ARGS", "--conv-channels 48 --gru-hidden 48 --gru-layers 2 --attn-dim 48 "
                                        "--classifier-hidden 48 --projection-dim 32")
PAIR_ARGS = os.environ.get("PAIR_ARGS", "--pair-probability 0.2 --speech-donors any --class-balanced")

# name -> (what it tests, train.py arguments added to the recipe). Issue #6's list, in its order.
VARIANTS: Dict[str, tuple] = {
    "full": ("full model (reference)", []),
    "text-only": ("(1) text expert alone", ["--experts", "text"]),
    # MELD dev has no audio: a speech-only head scores every MELD dev turn the same (no expert left:
    # uniform probabilities, argmax neutral), so dev cannot select its epoch. It trains as many epochs
    # as the full model's selected epoch and keeps the last one (see epochs_without_selection).
    "speech-only": ("(2) speech expert alone", ["--experts", "speech", "--select", "last"]),
    "cross-modal-only": ("(3) cross-modal expert alone", ["--experts", "cross_modal"]),
    "uniform": ("(4) uniform mixing instead of the gate", ["--mixing", "uniform"]),
    "no-context": ("(5) no context module (kernel-1 conv + ReLU, no GRU)", ["--context", "none"]),
    "no-supcon": ("(6) without SupCon (contrastive weight 0)", ["--w-contrastive", "0"]),
    "no-kl": ("(7) without KL (KL weight 0)", ["--w-kl", "0"]),
}
EXPERTS = ("speech", "text", "cross_modal")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("embeddings", type=Path, help="directory with meld-train.avro, emodb-train.avro, dev.avro, heldout.avro")
    p.add_argument("--out", type=Path, default=REPO / "training" / "runs" / "ablations",
                   help="run directory (git-ignored under training/runs)")
    p.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated subset of {', '.join(VARIANTS)}")
    p.add_argument("--reference-seeds", default="", help="extra seeds for the full model (seed-noise rows)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--more-seeds", default="", help="repeat every variant with these seeds, after the --seed pass")
    p.add_argument("--epochs", type=int, help="override train.py's epochs (development only)")
    p.add_argument("--patience", type=int, help="override train.py's patience (development only)")
    p.add_argument("--resume", action="store_true", help="skip variants whose result.json exists")
    p.add_argument("--unselected-epochs", type=int, default=10,
                   help="epochs of a --select last variant (speech-only) when the full model's best epoch "
                        "is not known (the full model not run first)")
    p.add_argument("--encoder-note", default="", help="a line on the encoders written above the table")
    p.add_argument("--synthetic", action="store_true",
                   help="first write synthetic embeddings to EMBEDDINGS_DIR (development: a MELD-like text-only "
                        "set and an EmoDB-like speech-only set, training/tools/write_embeddings.py)")
    p.add_argument("--mister", type=Path,
                   help="bin/mister: also export each variant to ONNX and check that `mister evaluate --offline` "
                        "(ONNX Runtime, Java: what the processor serves) gives the torch weighted F1")
    p.add_argument("--python", default=sys.executable)
    return p.parse_args(argv)


def write_synthetic(a, emb: Path) -> None:
    """MELD-like (text only) train/dev and EmoDB-like (speech only) train/held-out sets sharing one
    world of class centroids; the EmoDB-like sets come from write_embeddings' dev/test splits so
    their conversation ids never collide with the MELD-like train split's."""
    tmp = emb / "synthetic"
    gen = [a.python, str(TRAINING / "tools" / "write_embeddings.py"), "--task", "separable", "--labels",
           "neutral,joy,surprise,anger,sadness,disgust,fear", "--noise", "3.0"]
    subprocess.run(gen + ["--train", "120", "--dev", "30", "--test", "0", "--p-no-speech", "1.0",
                          "--out-dir", str(tmp / "meld")], check=True, cwd=REPO)
    subprocess.run(gen + ["--train", "0", "--dev", "40", "--test", "20", "--p-no-text", "1.0", "--seed", "7",
                          "--out-dir", str(tmp / "emodb")], check=True, cwd=REPO)
    for src, dst in (("meld/train", "meld-train"), ("meld/dev", "dev"), ("emodb/dev", "emodb-train"),
                     ("emodb/test", "heldout")):
        (tmp / f"{src}.avro").replace(emb / f"{dst}.avro")


def runs_to_do(a) -> List[Dict]:
    names = [v.strip() for v in a.variants.split(",") if v.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    runs = [{"name": n, "variant": n, "what": VARIANTS[n][0], "args": VARIANTS[n][1], "seed": a.seed} for n in names]
    for s in (int(x) for x in a.reference_seeds.split(",") if x.strip()):
        runs.append({"name": f"full-seed{s}", "variant": "full", "what": f"full model, seed {s} (noise)", "args": [],
                     "seed": s})
    for s in (int(x) for x in a.more_seeds.split(",") if x.strip()):
        for n in names:
            if f"{n}-seed{s}" not in [r["name"] for r in runs]:
                runs.append({"name": f"{n}-seed{s}", "variant": n, "what": f"{VARIANTS[n][0]}, seed {s}",
                             "args": VARIANTS[n][1], "seed": s})
    return runs


def variant_of(r: Dict) -> str:
    return r.get("variant") or r["name"].split("-seed")[0]


def run(cmd: List[str], log: Path, env: Optional[Dict[str, str]] = None) -> None:
    with open(log, "a") as fh:
        fh.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        fh.flush()
        done = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}; see {log}")


def epochs_without_selection(a, results: List[Dict], seed: Optional[int] = None) -> int:
    """Epochs for a variant that dev cannot select: the full model's selected epoch (same seed if it
    ran), so both heads have trained equally long."""
    fulls = [r for r in results if variant_of(r) == "full"]
    ref = next((r for r in fulls if r["seed"] == seed), fulls[0] if fulls else None)
    epochs = ref["best_epoch"] if ref else a.unselected_epochs
    return min(epochs, a.epochs) if a.epochs else epochs


def train_and_evaluate(a, spec: Dict, files: Dict[str, Optional[Path]], results: List[Dict]) -> Dict:
    out = a.out / spec["name"]
    out.mkdir(parents=True, exist_ok=True)
    log = out / "train.log"
    log.write_text("")
    train = [str(files["meld-train"])] + ([str(files["emodb-train"])] if files["emodb-train"] else [])
    cmd = [a.python, str(TRAINING / "train.py"), "--train", *train, "--dev", str(files["dev"]), "--out", str(out),
           "--eval-name", "meld_dev", "--quiet", "--threads", "1", "--seed", str(spec["seed"]),
           *HEAD_ARGS.split(), *PAIR_ARGS.split(), *spec["args"]]
    if "last" in spec["args"]:
        cmd += ["--epochs", str(epochs_without_selection(a, results, spec["seed"]))]
    elif a.epochs:
        cmd += ["--epochs", str(a.epochs)]
    if a.patience:
        cmd += ["--patience", str(a.patience)]
    started = time.time()
    run(cmd, log)
    train_minutes = (time.time() - started) / 60
    evaluations = {}
    for split in ("dev", "heldout"):
        if files[split] is None:
            continue
        target = out / f"torch-{split}.json"
        run([a.python, str(TRAINING / "evaluate.py"), "--checkpoint", str(out / "best.pt"), "--data",
             str(files[split]), "--json", str(target), "--threads", "1"], log)
        evaluations[split] = json.loads(target.read_text())
    report = json.loads((out / "report.json").read_text())
    result = summarise(spec, report, evaluations, train_minutes, (time.time() - started) / 60)
    if a.mister:
        result["onnx_runtime"] = check_onnx(a, out, report, files, log)
    (out / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def check_onnx(a, out: Path, report: Dict, files: Dict[str, Optional[Path]], log: Path) -> Dict:
    """Exports the variant and scores it with the processor's runtime; fails if a weighted F1 differs
    from torch's by more than 0.1 (training/tools/compare_evaluations.py)."""
    model = out / "head.onnx"
    run([a.python, "-m", "mister_e.export", "--checkpoint", str(out / "best.pt"), "--output", str(model),
         "--text-encoder", report["text_encoder"], "--speech-encoder", report["speech_encoder"],
         "--model-version", f"ablation-{out.name}", "--trained-on", f"ablation {out.name} (issue #6)"], log,
        env={**os.environ, "PYTHONPATH": str(TRAINING)})
    figures = {}
    for split in ("dev", "heldout"):
        if files[split] is None:
            continue
        target = out / f"onnx-{split}.json"
        run([str(a.mister), "evaluate", "--offline", "--model", str(model), "--data", str(files[split]),
             "--json", str(target)], log)
        run([a.python, str(TRAINING / "tools" / "compare_evaluations.py"), str(out / f"torch-{split}.json"),
             str(target)], log)
        figures[split] = json.loads(target.read_text())
    return {"model": str(model), "checked": sorted(figures)}


def summarise(spec: Dict, report: Dict, ev: Dict, train_minutes: float, minutes: float) -> Dict:
    def figures(split: str) -> Optional[Dict]:
        if split not in ev:
            return None
        r = ev[split]
        full, prefix = r["full"], r.get("prefix", {})
        return {"weighted_f1": full["mixture"]["weighted_f1"],
                "prefix_weighted_f1": prefix.get("mixture", {}).get("weighted_f1"),
                "macro_f1": full["mixture"]["macro_f1"], "accuracy": full["mixture"]["accuracy"],
                "prefix_macro_f1": prefix.get("mixture", {}).get("macro_f1"),
                "turns": full["mixture"]["turns"],
                "experts_weighted_f1": {e: full[e]["weighted_f1"] for e in EXPERTS},
                "mean_gate": full["mean_gate"], "per_class_f1": full["mixture"]["per_class_f1"]}
    return {"name": spec["name"], "variant": spec["variant"], "what": spec["what"], "args": spec["args"], "seed": spec["seed"],
            "config": {k: report["config"][k] for k in ("mixing", "experts", "context")},
            "loss_weights": report["loss_weights"], "best_epoch": report["best_epoch"],
            "epochs_run": len(report["history"]), "select": report["select"], "parameters": report["parameters"],
            "train_minutes": round(train_minutes, 2), "minutes": round(minutes, 2),
            "meld_dev": figures("dev"), "emodb_speaker13": figures("heldout"),
            "text_encoder": report["text_encoder"], "speech_encoder": report["speech_encoder"]}


def fmt(x, digits=2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def gate(fig: Optional[Dict]) -> str:
    return "-" if not fig else "/".join(f"{fig['mean_gate'][e]:.2f}" for e in EXPERTS)


def epochs(r: Dict) -> str:
    if r.get("select") == "last":
        return f"last of {r['epochs_run']} (no selection)"
    return f"{r['best_epoch']} / {r['epochs_run']}"


def table(results: List[Dict]) -> str:
    ref = next((r for r in results if r["name"] == "full"), None)
    rows = ["| variant | train.py flags | MELD dev WF1 final | prefix | macro F1 (final) | final vs full | "
            "EmoDB spk 13 WF1 final / prefix | mean gate S/T/X, MELD dev | mean gate S/T/X, EmoDB 13 | "
            "best epoch / epochs | minutes |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        dev, emo = r["meld_dev"], r["emodb_speaker13"]
        delta = "-" if ref is None or r is ref else f"{dev['weighted_f1'] - ref['meld_dev']['weighted_f1']:+.2f}"
        flags = " ".join(r["args"]) + (f" --seed {r['seed']}" if r["seed"] != (ref or r)["seed"] else "")
        rows.append(f"| {r['what']} | `{flags.strip() or '(recipe)'}` | {fmt(dev['weighted_f1'])} | "
                    f"{fmt(dev['prefix_weighted_f1'])} | {fmt(dev['macro_f1'])} | {delta} | "
                    f"{fmt(emo and emo['weighted_f1'])} / {fmt(emo and emo['prefix_weighted_f1'])} | {gate(dev)} | "
                    f"{gate(emo)} | {epochs(r)} | {fmt(r['minutes'], 1)} |")
    return "\n".join(rows) + "\n"


def seed_table(results: List[Dict]) -> str:
    """One row per variant over every seed it ran with: final WF1 per seed, their mean, and the mean's
    difference from the full model's mean (empty when every variant ran with one seed)."""
    by_variant: Dict[str, List[Dict]] = {}
    for r in results:
        by_variant.setdefault(variant_of(r), []).append(r)
    if all(len(rs) < 2 for name, rs in by_variant.items() if name != "full"):
        return ""
    seeds = sorted({r["seed"] for r in results})

    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def per_seed(rs, key):
        got = {r["seed"]: (r[key] or {}).get("weighted_f1") for r in rs}
        return " / ".join(fmt(got.get(s)) for s in seeds), mean(got.values())

    full_mean = per_seed(by_variant["full"], "meld_dev")[1] if "full" in by_variant else None
    rows = [f"| variant | MELD dev WF1 final, seeds {' / '.join(map(str, seeds))} | mean | mean vs full's mean | "
            f"EmoDB spk 13 WF1 final, seeds {' / '.join(map(str, seeds))} | mean |", "|---|---|---|---|---|---|"]
    for name, rs in by_variant.items():
        dev, dev_mean = per_seed(rs, "meld_dev")
        emo, emo_mean = per_seed(rs, "emodb_speaker13")
        delta = "-" if name == "full" or full_mean is None else f"{dev_mean - full_mean:+.2f}"
        rows.append(f"| {VARIANTS[name][0] if name in VARIANTS else name} | {dev} | {fmt(dev_mean)} | {delta} | "
                    f"{emo} | {fmt(emo_mean)} |")
    return "\n".join(rows) + "\n"


def write_outputs(a, results: List[Dict], pending: List[str]) -> None:
    recipe = f"`{HEAD_ARGS} {PAIR_ARGS} --quiet --threads 1`"
    encoders = sorted({(r["text_encoder"], r["speech_encoder"]) for r in results})
    lines = [f"# MiSTER-E ablations on `{a.embeddings}`", "",
             f"Recipe: train.py {recipe}, seed {a.seed}" + (f", epochs {a.epochs}" if a.epochs else "")
             + "; selection on MELD dev full WF1; torch figures (training/evaluate.py).",
             f"Encoders: {', '.join(f'text {t}, speech {s}' for t, s in encoders) or '-'}."
             + (f" {a.encoder_note}" if a.encoder_note else ""), "", table(results) if results else "(no results yet)\n"]
    seeds = seed_table(results)
    if seeds:
        lines += ["Over seeds:", "", seeds]
    if pending:
        lines.append(f"Not run (yet): {', '.join(pending)}.\n")
    (a.out / "ablations.md").write_text("\n".join(lines))
    (a.out / "ablations.json").write_text(json.dumps({
        "embeddings": str(a.embeddings), "recipe": f"{HEAD_ARGS} {PAIR_ARGS}", "seed": a.seed, "epochs": a.epochs,
        "results": results, "pending": pending}, indent=1) + "\n")


def main(argv=None) -> None:
    a = parse_args(argv)
    a.out = a.out.resolve()
    emb = a.embeddings.resolve()
    if a.synthetic:
        write_synthetic(a, emb)
    files = {name: emb / f"{name}.avro" for name in ("meld-train", "emodb-train", "dev", "heldout")}
    for name in ("meld-train", "dev"):
        if not files[name].is_file():
            raise SystemExit(f"{files[name]} is missing")
    for name in ("emodb-train", "heldout"):
        if not files[name].is_file():
            print(f"ablations: {files[name]} not found; going on without it")
            files[name] = None
    a.out.mkdir(parents=True, exist_ok=True)
    todo = runs_to_do(a)
    results: List[Dict] = []
    for i, spec in enumerate(todo):
        done = a.out / spec["name"] / "result.json"
        if a.resume and done.is_file():
            result = json.loads(done.read_text())
            print(f"ablations: {spec['name']}: already done")
        else:
            print(f"ablations: {spec['name']} ({spec['what']}) ...", flush=True)
            result = train_and_evaluate(a, spec, files, results)
        results.append(result)
        print(f"ablations: {spec['name']}: MELD dev WF1 {result['meld_dev']['weighted_f1']:.2f}, "
              f"best epoch {result['best_epoch']}, {result['minutes']:.1f} min", flush=True)
        write_outputs(a, results, [s["name"] for s in todo[i + 1:]])
    print(f"ablations: wrote {a.out / 'ablations.md'} and {a.out / 'ablations.json'}")


if __name__ == "__main__":
    main()

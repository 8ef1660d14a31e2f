"""Specification of training/tools/ablations.py: issue #6's variants and the table it writes."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from tools import ablations  # noqa: E402
from train import parse_args  # noqa: E402


def result(name, args, dev_wf1, seed=13):
    fig = {"weighted_f1": dev_wf1, "prefix_weighted_f1": dev_wf1 - 1, "macro_f1": 40.0,
           "mean_gate": {"speech": 0.0, "text": 0.6, "cross_modal": 0.4}}
    return {"name": name, "what": name, "args": args, "seed": seed, "meld_dev": fig, "emodb_speaker13": None,
            "best_epoch": 5, "epochs_run": 13, "minutes": 4.25}


class AblationToolSpec(unittest.TestCase):

    def test_the_variants_are_the_full_model_and_issue_6s_seven_ablations(self):
        self.assertEqual(list(ablations.VARIANTS), ["full", "text-only", "speech-only", "cross-modal-only", "uniform",
                                                    "no-context", "no-supcon", "no-kl"])

    def test_every_variant_is_the_recipe_plus_flags_train_py_accepts(self):
        for name, (_, flags) in ablations.VARIANTS.items():
            a = parse_args(["--train", "t.avro", "--dev", "d.avro", "--out", "o", *ablations.HEAD_ARGS.split(),
                            *ablations.PAIR_ARGS.split(), *flags])
            self.assertEqual((a.conv_channels, a.pair_probability, a.speech_donors, a.class_balanced),
                             (48, 0.2, "any", True), name)

    def test_reference_seeds_add_full_model_rows(self):
        a = ablations.parse_args(["emb", "--variants", "full,no-kl", "--reference-seeds", "14,15"])
        self.assertEqual([(r["name"], r["seed"]) for r in ablations.runs_to_do(a)],
                         [("full", 13), ("no-kl", 13), ("full-seed14", 14), ("full-seed15", 15)])

    def test_a_variant_dev_cannot_select_trains_as_long_as_the_full_models_selected_epoch(self):
        a = ablations.parse_args(["emb"])
        self.assertIn("last", ablations.VARIANTS["speech-only"][1])
        self.assertEqual(ablations.epochs_without_selection(a, [result("full", [], 55.0)]), 5)
        seed14 = dict(result("full-seed14", [], 56.0, seed=14), best_epoch=9)
        self.assertEqual(ablations.epochs_without_selection(a, [result("full", [], 55.0), seed14], 14), 9)
        self.assertEqual(ablations.epochs_without_selection(a, []), a.unselected_epochs)

    def test_more_seeds_repeat_every_variant_after_the_first_pass_without_duplicates(self):
        a = ablations.parse_args(["emb", "--variants", "full,no-kl", "--reference-seeds", "14,15", "--more-seeds", "14"])
        self.assertEqual([(r["name"], r["variant"], r["seed"]) for r in ablations.runs_to_do(a)],
                         [("full", "full", 13), ("no-kl", "no-kl", 13), ("full-seed14", "full", 14),
                          ("full-seed15", "full", 15), ("no-kl-seed14", "no-kl", 14)])

    def test_the_seed_table_compares_means_over_seeds(self):
        text = ablations.seed_table([result("full", [], 55.0), result("no-kl", [], 54.0),
                                     result("full-seed14", [], 56.0, seed=14), result("no-kl-seed14", [], 54.5, seed=14)])
        self.assertIn("| full model (reference) | 55.00 / 56.00 | 55.50 | - |", text)
        self.assertIn("| (7) without KL (KL weight 0) | 54.00 / 54.50 | 54.25 | -1.25 |", text)
        self.assertEqual(ablations.seed_table([result("full", [], 55.0), result("full-seed14", [], 56.0, seed=14),
                                               result("no-kl", [], 54.0)]), "")

    def test_the_table_reports_each_variant_against_the_full_model(self):
        text = ablations.table([result("full", [], 55.0), result("no-kl", ["--w-kl", "0"], 54.25),
                                result("full-seed14", [], 55.5, seed=14)])
        rows = text.strip().splitlines()
        self.assertEqual(len(rows), 5)
        self.assertIn("| `--w-kl 0` | 54.25 | 53.25 | 40.00 | -0.75 | - / - | 0.00/0.60/0.40 | - | 5 / 13 | 4.2 |", rows[3])
        self.assertIn("`--seed 14`", rows[4])
        self.assertIn("+0.50", rows[4])


if __name__ == "__main__":
    unittest.main()

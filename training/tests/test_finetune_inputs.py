"""What the text-encoder fine-tuning feeds its BERT: a turn alone, or a turn with the turns before it
(--context-turns), and which tokens its embedding pools. No model weights needed."""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.bert import sentence_embedding  # noqa: E402
from finetune.finetune_text import segments, with_context  # noqa: E402

CLS, SEP = 101, 102


def test_a_turn_is_followed_by_the_previous_turns_latest_first_and_cut_at_the_budget():
    turn = [CLS, 7, 8, SEP]
    previous = [[CLS, 5, 6, SEP], [CLS, 3, SEP]]  # latest first
    assert with_context(turn, previous, SEP, 64) == [CLS, 7, 8, SEP, 5, 6, 3, SEP]
    assert with_context(turn, previous, SEP, 3) == [CLS, 7, 8, SEP, 5, 6, SEP]
    assert with_context(turn, [], SEP, 64) == turn


def test_the_context_segment_gets_token_type_1_and_is_not_pooled():
    ids = torch.tensor([[CLS, 7, 8, SEP, 5, 6, SEP, 0], [CLS, 9, SEP, 0, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    types, pooled = segments(ids, mask, SEP)
    assert types.tolist() == [[0, 0, 0, 0, 1, 1, 1, 0], [0] * 8]
    assert pooled.tolist() == [[1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0]]


def test_pooling_ignores_the_context_tokens_and_cls_pooling_takes_the_first_token():
    states = torch.arange(2 * 4 * 3, dtype=torch.float32).reshape(2, 4, 3)
    turn_only = torch.tensor([[1, 1, 0, 0], [1, 1, 0, 0]])
    with_more = turn_only.clone()
    with_more[:, 2] = 1
    mean = sentence_embedding(states, turn_only)
    assert torch.allclose(mean, sentence_embedding(states[:, :2], turn_only[:, :2]))
    assert not torch.allclose(mean, sentence_embedding(states, with_more))
    cls = sentence_embedding(states, with_more, "cls")
    assert torch.allclose(cls, torch.nn.functional.normalize(states[:, 0], dim=-1))

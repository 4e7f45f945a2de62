import numpy as np
import pytest

from triage.model.pipelines import pool_sentences


def test_pooling_moves_split_complaints_towards_their_likeliest_sentence():
    complaint = np.array([[0.2, 0.6], [0.2, 0.6]])
    sentence_max = np.array([[0.8, 0.4], [0.8, 0.4]])
    pooled = pool_sentences(complaint, sentence_max, np.array([True, False]), 0.5)
    assert pooled[0] == pytest.approx([0.5, 0.6])  # raised halfway, never lowered
    assert pooled[1] == pytest.approx([0.2, 0.6])  # not split: unchanged


def test_pooling_with_no_weight_changes_nothing():
    complaint = np.array([[0.2, 0.6]])
    pooled = pool_sentences(complaint, np.array([[0.9, 0.9]]), np.array([True]), 0.0)
    assert pooled == pytest.approx(complaint)

"""The embedder interface: default offline USE model and the sentence-transformers backend."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.data import AlignerError
from aligner.embed import (
    DEFAULT_MODEL,
    Embedder,
    SentenceTransformerEmbedder,
    UniversalSentenceEncoder,
    load_embedder,
)


def test_default_is_offline_use(embedder: Embedder) -> None:
    assert isinstance(embedder, UniversalSentenceEncoder)
    assert embedder.name == DEFAULT_MODEL


def test_vectors_are_unit_rows_in_input_order(embedder: Embedder) -> None:
    texts = ["我喜歡貓。", "I like cats.", "我喜歡貓。", "The stock market fell sharply."]
    vectors = embedder.encode(texts)
    assert vectors.shape == (4, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)


def test_translation_is_nearer_than_unrelated_sentence(embedder: Embedder) -> None:
    zh, en_right, en_wrong = embedder.encode(
        ["截至2021年底，商湯的全球專利資產累計11,494件。",
         "As of the end of 2021, SenseTime had 11,494 global patents.",
         "We organize a team of top experts to develop mini-courses."]
    )
    assert zh @ en_right > zh @ en_wrong + 0.2


def test_traditional_text_is_embedded_as_simplified() -> None:
    converting = UniversalSentenceEncoder(to_simplified=True)
    traditional, simplified = converting.encode(["商湯科技聯合創始人", "商汤科技联合创始人"])
    np.testing.assert_allclose(traditional, simplified, atol=1e-6)


def test_empty_input_gives_empty_matrix(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, 512)


def test_default_model_refuses_gpu_with_clear_message() -> None:
    with pytest.raises(AlignerError, match="needs a sentence-transformers model"):
        load_embedder(None, device="cuda")


def test_other_names_load_sentence_transformers_lazily() -> None:
    embedder = load_embedder("sentence-transformers/LaBSE", device="cpu")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == "sentence-transformers/LaBSE"


def build_tiny_sentence_transformer(folder: Path) -> Path:
    """A randomly initialised two-layer BERT saved as a sentence-transformers model."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cat", "dog", "我", "貓", "the"]
    transformer_dir = folder / "bert"
    tokenizer = BertTokenizerFast(vocab={word: i for i, word in enumerate(vocabulary)})
    assert "[UNK]" not in tokenizer.tokenize("the cat 我 貓")
    tokenizer.save_pretrained(transformer_dir)
    config = BertConfig(
        vocab_size=len(vocabulary), hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(transformer_dir)
    transformer = Transformer(str(transformer_dir), max_seq_length=32)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    model_dir = folder / "tiny-st"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(model_dir))
    return model_dir


def test_sentence_transformers_backend_offline(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    model_dir = build_tiny_sentence_transformer(tmp_path)
    embedder = load_embedder(str(model_dir), device="cpu")
    vectors = embedder.encode(["the cat", "我 貓", "the cat"])
    assert vectors.shape == (3, 32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    assert not np.allclose(vectors[0], vectors[1])


def test_missing_sentence_transformers_model_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    embedder = load_embedder(str(tmp_path / "no-such-model"), device="cpu")
    with pytest.raises(AlignerError, match="cannot load model"):
        embedder.encode(["hello"])

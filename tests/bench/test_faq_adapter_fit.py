"""The sentence adapter's fitting (bench/faq/train.py): it learns a turn shared by several FAQs."""
import numpy as np

from bench.faq import train

DIM = 24


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _block(rng: np.random.Generator, style: np.ndarray, entries: int = 12, asked: int = 36):
    """A FAQ of ``entries`` phrasings, and questions that each mean one of them but are written in
    residents' own way (``style``, the same for every FAQ), with noise."""
    phrasings = _unit(rng.normal(size=(entries, DIM)))
    meant = rng.integers(0, entries, size=asked)
    questions = _unit(phrasings[meant] @ style + 0.5 * rng.normal(size=(asked, DIM)) / np.sqrt(DIM))
    right = np.zeros((asked, entries), dtype=np.float32)
    right[np.arange(asked), meant] = 1
    return questions, phrasings, right


def _top1(block, b: np.ndarray) -> float:
    questions, phrasings, right = block
    best = ((questions + questions @ b) @ phrasings.T).argmax(axis=1)
    return float(right[np.arange(len(best)), best].mean())


def test_the_adapter_fitted_on_other_faqs_ranks_a_new_faq_better():
    rng = np.random.default_rng(7)
    style = 0.4 * np.eye(DIM) + 0.6 * rng.normal(size=(DIM, DIM)) / np.sqrt(DIM)
    fitted_on = [_block(rng, style) for _ in range(6)]
    new = _block(rng, style, asked=120)
    b = train.fit_adapter(fitted_on)
    assert b.shape == (DIM, DIM) and b.dtype == np.float32
    plain, adapted = _top1(new, np.zeros((DIM, DIM), dtype=np.float32)), _top1(new, b)
    assert adapted >= plain + 0.08, (plain, adapted)


def test_questions_already_near_their_entries_leave_the_adapter_near_zero():
    rng = np.random.default_rng(3)
    b = train.fit_adapter([_block(rng, np.eye(DIM)) for _ in range(4)])
    assert float(np.abs(b).max()) < 0.2

"""Offensive-language scores from a classifier that runs on this machine.

The model is `alt-profanity-check`'s: a calibrated linear SVM over single English
words (scikit-learn), trained on about 200,000 labelled tweets and Wikipedia
comments, shipped inside the package. No text leaves the server.

It reads words, not meaning (word order is ignored, so "not stupid" scores like
"stupid"), scores other languages only by the English words in them, and carries
its training data's biases; docs/configuration.md has the measured details. That is
why a high score only asks the author to reconsider and, if they post anyway, holds
the comment for a person to read: it never removes or refuses anything.
"""

import functools
import threading

_lock = threading.Lock()


@functools.cache
def _model():
    with _lock:  # the first request on each process loads it (about a second)
        from profanity_check import predict_prob

        return predict_prob


def score(text: str) -> float:
    """How offensive the text reads, from 0 (not at all) to 1."""
    text = (text or "").strip()
    if not text:
        return 0.0
    return float(_model()([text[:10_000]])[0])


def warm_up() -> None:
    """Load the model in a background thread (app servers call this at start)."""
    threading.Thread(target=_model, name="toxicity-warm-up", daemon=True).start()

"""Offensive-language scores from a classifier that runs on this machine.

The model is `alt-profanity-check`'s: a linear SVM over word n-grams (scikit-learn),
trained on a few hundred thousand English comments labelled for profanity and
insults, shipped inside the package. No text leaves the server.

What it is good at, and what it is not (docs/configuration.md says the same):

- It scores *offensive wording* in English, 0 to 1. Insults and swearing score
  high; calm disagreement, however sharp, scores low.
- It reads words, not meaning: sarcasm, threats phrased politely, coded slurs and
  dog whistles pass; quoting an offensive phrase in order to condemn it scores
  like using it. Other languages score near zero.
- It has the biases of its training data (dialects and reclaimed words can score
  high). That is why a high score only asks the author to reconsider and, if they
  post anyway, holds the comment for a person to read: it never removes anything.
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

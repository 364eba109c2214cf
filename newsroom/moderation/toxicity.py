"""Offensive-language scores from a classifier that runs on this machine.

The model is `alt-profanity-check`'s: a calibrated linear SVM over single English
words (scikit-learn), trained on about 200,000 labelled tweets and Wikipedia
comments, shipped inside the package. No text leaves the server.

App processes do not load scikit-learn (with NumPy and SciPy, about 100 MB in each
process). The first process that needs the model runs a child that unpickles it once
and copies its numbers (the vocabulary, the words' idf weights, and each of the five
calibrated SVMs' coefficients and sigmoid) into a JSON file of about 2 MB in the data
directory, named after the package's files and scikit-learn's version; every process
then loads that file and does the package's arithmetic in plain Python (a few MB).
The child checks the copy against the package before it is used, and the moderation
tests compare the two on many texts.

It reads words, not meaning (word order is ignored, so "not stupid" scores like
"stupid"), scores other languages only by the English words in them, and carries
its training data's biases; docs/configuration.md has the measured details. That is
why a high score only asks the author to reconsider and, if they post anyway, holds
the comment for a person to read: it never removes or refuses anything.
"""

import array
import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

MAX_CHARS = 10_000  # longer texts are scored by their beginning
# What the package's vectorizer was fitted with; export() refuses any other setting.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # noqa: S105 - a regular expression
FORMAT = 1  # of the JSON file; part of its name, so a new format is derived anew
TOLERANCE = 1e-9  # largest difference from the package that export() accepts
ROOT = Path(__file__).resolve().parents[2]  # holds the newsroom package
CHILD = (
    "import sys; sys.path.insert(0, sys.argv[2]); "
    "from newsroom.moderation.toxicity import export; export(sys.argv[1])"
)
_token = re.compile(TOKEN_PATTERN)
_lock = threading.Lock()
_scorer = None


class Scorer:
    """The package's predict_prob for one text, from the numbers export() wrote.

    scikit-learn's steps, each done in the same order on the same float64 values:
    1. words: the lowercased text's runs of two or more word characters
       (TfidfVectorizer's analyzer); English stop words and unknown words dropped;
    2. tf-idf: each word's count times its idf, in vocabulary order, divided by the
       vector's Euclidean length (when not zero);
    3. each SVM: d = the dot product with its coefficients + its intercept, turned
       into p = 1 / (1 + exp(a·d + b)) by its sigmoid (Platt calibration);
    4. the score is the mean of the five p.
    """

    def __init__(self, data: dict):
        # Stop words are None: the analyzer drops them before the lookup.
        self.index = {word: i for i, word in enumerate(data["words"]) if word}
        self.idf = array.array("d", data["idf"])
        self.svms = [
            (array.array("d", svm["coef"]), svm["intercept"], svm["a"], svm["b"])
            for svm in data["svms"]
        ]

    @classmethod
    def load(cls, path) -> "Scorer":
        with open(path, encoding="utf-8") as file:
            return cls(json.load(file))

    def __call__(self, text: str) -> float:
        counts = {}
        for word in _token.findall(text.lower()):
            i = self.index.get(word)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        features = sorted(counts)
        weights = [counts[i] * self.idf[i] for i in features]
        square = 0.0
        for weight in weights:
            square += weight * weight
        if square != 0.0:
            length = math.sqrt(square)
            weights = [weight / length for weight in weights]
        total = 0.0
        for coef, intercept, a, b in self.svms:
            d = 0.0
            for i, weight in zip(features, weights, strict=True):
                d += weight * coef[i]
            d += intercept
            try:
                total += 1.0 / (1.0 + math.exp(a * d + b))
            except OverflowError:  # exp past float range: NumPy's expit gives 0
                total += 0.0
        return total / len(self.svms)


def score(text: str) -> float:
    """How offensive the text reads, from 0 (not at all) to 1."""
    text = (text or "").strip()
    if not text:
        return 0.0
    return _model()(text[:MAX_CHARS])


def warm_up() -> None:
    """Load the model in a background thread (app servers call this at start)."""
    threading.Thread(target=_model, name="toxicity-warm-up", daemon=True).start()


def _model() -> Scorer:
    global _scorer
    if _scorer is None:
        with _lock:  # one load per process; the first in a data directory derives
            if _scorer is None:
                path = model_path()
                if not path.exists():
                    derive(path)
                _scorer = Scorer.load(path)
    return _scorer


def model_path() -> Path:
    """Where this install's copy of the model is: named after the package's model
    files and the versions whose behaviour it copies."""
    from django.conf import settings

    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("alt-profanity-check is not installed.")
    package = Path(next(iter(spec.submodule_search_locations)))
    versions = [
        importlib.metadata.version(name)
        for name in ("alt-profanity-check", "scikit-learn")
    ]
    digest = hashlib.sha256(f"{FORMAT} {' '.join(versions)}".encode())
    for name in ("vectorizer.joblib", "model.joblib"):
        digest.update((package / "data" / name).read_bytes())
    cache = Path(settings.DATA_DIR) / "cache"
    return cache / f"toxicity-model-{digest.hexdigest()[:16]}.json"


def derive(path: Path) -> None:
    """Write the model's copy to `path` from a child process (scikit-learn is only
    imported there), unless another process already did. Processes sharing the data
    directory take turns on a lock file; the file appears whole, by rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / "toxicity-model.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
        try:
            child = subprocess.run(  # noqa: S603 - this interpreter, our code
                [sys.executable, "-c", CHILD, temporary, str(ROOT)],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(
                    "Copying the offensive-language model failed:\n"
                    + child.stderr[-3000:]
                )
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for old in path.parent.glob("toxicity-model-*.json"):
            if old != path:
                old.unlink(missing_ok=True)


# -- the child process: the only place scikit-learn is imported ----------------------

VECTORIZER = {  # the settings Scorer's word step reproduces
    "analyzer": "word",
    "binary": False,
    "input": "content",
    "lowercase": True,
    "ngram_range": (1, 1),
    "norm": "l2",
    "preprocessor": None,
    "smooth_idf": True,  # (already in the idf weights)
    "strip_accents": None,
    "sublinear_tf": False,
    "token_pattern": TOKEN_PATTERN,
    "tokenizer": None,
    "use_idf": True,
    "vocabulary": None,
}
PROBES = [
    "",
    "You are a complete idiot and everybody knows it.",
    "I disagree with the council on the seawall budget.",
    "STOP SHOUTING, you MORON!!! Ünïcödé straße İstanbul ǅ ﬁne",
    "fuck_this shit-head 123 a b c x2 __init__ ü ü ü",
]


def export(path) -> None:
    """Write the installed package's model to `path` as Scorer reads it, then check
    Scorer against the package; raise if anything differs from what Scorer does."""
    from profanity_check import profanity_check as package

    vectorizer, model = package.vectorizer, package.model
    params = vectorizer.get_params()
    differing = {k: params.get(k) for k, v in VECTORIZER.items() if params.get(k) != v}
    if type(vectorizer).__name__ != "TfidfVectorizer" or differing:
        raise ValueError(f"Unexpected vectorizer {vectorizer!r}: {differing}")
    if model.method != "sigmoid" or list(model.classes_) != [0, 1]:
        raise ValueError(f"Unexpected model {model!r}")
    words = [None] * len(vectorizer.vocabulary_)
    for word, i in vectorizer.vocabulary_.items():
        words[i] = word
    stop_words = vectorizer.get_stop_words() or frozenset()
    svms = []
    for calibrated in model.calibrated_classifiers_:
        svm, (sigmoid,) = calibrated.estimator, calibrated.calibrators
        if (
            calibrated.method != "sigmoid"
            or list(svm.classes_) != [0, 1]
            or svm.coef_.shape != (1, len(words))
        ):
            raise ValueError(f"Unexpected calibrated classifier {calibrated!r}")
        svms.append(
            {
                "coef": svm.coef_[0].tolist(),
                "intercept": float(svm.intercept_[0]),
                "a": float(sigmoid.a_),
                "b": float(sigmoid.b_),
            }
        )
    data = {
        "format": FORMAT,
        "words": [None if word in stop_words else word for word in words],
        "idf": vectorizer.idf_.tolist(),
        "svms": svms,
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data, file)
    scorer = Scorer.load(path)
    # Every word alone, then in long mixed texts.
    probes = PROBES + words + [" ".join(words[i::97]) for i in range(97)]
    expected = package.predict_prob(probes)
    worst = max(
        abs(scorer(text) - float(p)) for text, p in zip(probes, expected, strict=True)
    )
    if worst > TOLERANCE:
        raise ValueError(f"The copy scores up to {worst} away from the package.")

"""The offensive-language scores: the plain-Python copy of alt-profanity-check's model
scores every text as the package does, and app processes never load scikit-learn."""

import json
import subprocess
import sys

from profanity_check import predict_prob
from profanity_check import profanity_check as package

from newsroom.demo.server import ROOT, embedded_env
from newsroom.moderation import toxicity

INSULT = "You are a stupid idiot and a moron"
TEXTS = [
    "",
    "   \n\t ",
    INSULT,
    "I disagree with the council on the seawall budget.",
    "THIS PLAN IS NOT STUPID. Idiotic? No.",
    "fuck_you shit-head f4ck a1 x 12 345 __init__ idiot's idiots",
    # Other scripts, case mappings that change length, compatibility characters.
    "Ünïcödé straße İSTANBUL ǅemal ΣΟΦΟΣ ﬁne ｆｕｃｋ ｉｄｉｏｔ",
    "Идиот idiot バカ 馬鹿 idiot أحمق 🤬 stupid 🤬",
    "i\u0307diot stu\u0301pid e\u0301ne\u0301",
    # Hostile input: control and zero-width characters, a lone surrogate, markup.
    "\x00idiot\x00stupid\x1b[31m moron\u200b\u200bidiot\ufeff",
    "\ud800 idiot \udfff",
    "<script>alert('you idiot')</script><b>moron</b>&amp;stupid",
    "idiot" * 3000,  # one token of 15,000 characters
    "stupid idiot " * 2000,  # past the 10,000 characters that are scored
    "a " * 20_000,
    "moron\n" * 500 + "x" * 100_000,
]


def expected(text: str) -> float:
    """What score() promised before the copy: the package on the stripped text's
    first 10,000 characters, 0 for a blank one."""
    text = text.strip()
    return float(predict_prob([text[:10_000]])[0]) if text else 0.0


def test_the_copy_scores_every_text_as_the_package_does():
    vocabulary = sorted(package.vectorizer.vocabulary_)
    texts = [
        *TEXTS,
        *vocabulary,  # every word alone
        *(word.upper() for word in vocabulary[::7]),
        *(" ".join(vocabulary[i::50]) for i in range(50)),  # long mixed texts
    ]

    scores = [toxicity.score(text) for text in texts]
    wanted = [expected(text) for text in TEXTS] + list(
        predict_prob([text.strip()[:10_000] for text in texts[len(TEXTS) :]])
    )

    differences = [abs(got - want) for got, want in zip(scores, wanted, strict=True)]
    assert max(differences) <= 1e-9
    assert toxicity.score("") == 0.0
    assert toxicity.score(INSULT) >= 0.85


APP_PROCESS = """
import json, sys
import newsroom.asgi
from newsroom.moderation import toxicity
score = toxicity.score(sys.argv[1])
loaded = sorted({name.split(".")[0] for name in sys.modules}
                & {"sklearn", "scipy", "numpy", "joblib", "profanity_check"})
print(json.dumps({"score": score, "loaded": loaded}))
"""


def app_process(data_dir, text) -> dict:
    child = subprocess.run(
        [sys.executable, "-c", APP_PROCESS, text],
        cwd=ROOT,
        env=embedded_env(
            NEWSROOM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="newsroom.settings"
        ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.splitlines()[-1])


def test_app_processes_score_without_scikit_learn_and_derive_the_copy_once(tmp_path):
    first = app_process(tmp_path, INSULT)
    (copy,) = (tmp_path / "cache").glob("toxicity-model-*.json")
    written = copy.stat().st_mtime_ns
    second = app_process(tmp_path, INSULT)

    assert first["loaded"] == second["loaded"] == []
    assert abs(first["score"] - expected(INSULT)) <= 1e-9
    assert second["score"] == first["score"]
    assert copy.stat().st_mtime_ns == written
    assert not list((tmp_path / "cache").glob("*.tmp"))

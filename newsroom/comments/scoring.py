"""Sort keys from vote counts."""

import math

Z = 1.96  # 95% confidence


def best_score(up: int, down: int) -> float:
    """Lower bound of the Wilson score interval for the share of up votes.

    A comment with 40 up and 2 down ranks above one with 3 up and 0 down: the first
    is almost certainly liked, the second might be luck.
    """
    n = up + down
    if n == 0:
        return 0.0
    share = up / n
    centre = share + Z * Z / (2 * n)
    spread = Z * math.sqrt((share * (1 - share) + Z * Z / (4 * n)) / n)
    return (centre - spread) / (1 + Z * Z / n)


def controversy(up: int, down: int) -> float:
    """Many votes, evenly split: the vote count raised to the balance of the split."""
    if up == 0 or down == 0:
        return 0.0
    return float(up + down) ** (min(up, down) / max(up, down))

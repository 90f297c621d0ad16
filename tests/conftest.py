"""For every suite: the outside judge, when it is there.

The tests judge the assistant's replies with the reply contract in ../shared/contract, which is
not part of this repository (the product itself never uses it). Beside a clone without it, a
test module that imports `reply_contract` is skipped with a message saying so, rather than
failing to import; everything else runs.
"""
from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parent / "shared" / "contract"
JUDGE = "reply_contract"
ABSENT = f"the outside judge is not here ({CONTRACT / (JUDGE + '.py')} does not exist): its checks are skipped"


class _SkipWithoutTheJudge(importlib.abc.MetaPathFinder):
    """Turns `import reply_contract` into a skip of the module that asked for it."""

    def find_spec(self, name, path=None, target=None):
        if name == JUDGE:
            pytest.skip(ABSENT, allow_module_level=True)
        return None


def judge_is_here() -> bool:
    return (CONTRACT / f"{JUDGE}.py").is_file()


if judge_is_here():
    sys.path.insert(0, str(CONTRACT))
else:
    sys.meta_path.insert(0, _SkipWithoutTheJudge())

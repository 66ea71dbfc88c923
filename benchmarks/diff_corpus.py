"""Run the breaking-change classifier over the history of microsoft/PowerPlatformConnectors.

    python benchmarks/diff_corpus.py GIT_DIR [--commits 1] [--samples 20] [--seed 1]

GIT_DIR is a clone (or bare mirror) of microsoft/PowerPlatformConnectors. For every connector
folder with an apiDefinition.swagger.json at HEAD it checks that the definition compared with
itself has no change (every connector is read without a crash), then compares the definition of
the last ``--commits`` commits that changed it with the one before, as `diff --base` would on the
pull request that made the change. Prints how many connectors were read, the changes by class,
the time per comparison, and a random sample of the breaking verdicts for review by hand.
Opt-in: CI does not have the corpus.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.diff.compare import compare
from scripts.diff.surface import read_surface

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"


def git(git_dir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True).stdout


class Blobs:
    """Reads ``<commit>:<path>`` objects through one ``git cat-file --batch`` process."""

    def __init__(self, git_dir: str):
        self.process = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def json(self, spec: str) -> dict | None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(spec.encode() + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().rstrip(b"\n")
        if header.endswith((b" missing", b" ambiguous")):  # the spec may hold spaces: match the end
            return None
        data = self.process.stdout.read(int(header.rsplit(b" ", 1)[1]) + 1)[:-1]
        try:
            value = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return value if isinstance(value, dict) else None


def changes_by_folder(git_dir: str) -> dict[str, list[str]]:
    """Folder -> the commits that changed its definition, newest first (one pass over the history)."""
    found: dict[str, list[str]] = collections.defaultdict(list)
    commit = ""
    for line in git(git_dir, "log", "--format=@%H", "--name-only", "--no-renames", "HEAD", "--",
                    f"*/{DEFINITION}").splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line.endswith("/" + DEFINITION):
            found[line.rsplit("/", 1)[0]].append(commit)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("git_dir")
    parser.add_argument("--commits", type=int, default=1, help="changes per connector to classify")
    parser.add_argument("--samples", type=int, default=20, help="breaking verdicts to print for review")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    folders = sorted(path.rsplit("/", 1)[0] for path in git(args.git_dir, "ls-tree", "-r", "--name-only", "HEAD")
                     .splitlines() if path.endswith("/" + DEFINITION))
    blobs = Blobs(args.git_dir)
    history = changes_by_folder(args.git_dir)
    unreadable, self_changes, compared = 0, [], 0
    classes: collections.Counter[str] = collections.Counter()
    breaking_pairs, timings, samples = 0, [], []
    for folder in folders:
        head = blobs.json(f"HEAD:{folder}/{DEFINITION}")
        if head is None:
            unreadable += 1
            continue
        surface = read_surface(head, blobs.json(f"HEAD:{folder}/{PROPERTIES}"))
        if compare(surface, surface):
            self_changes.append(folder)
        for commit in history.get(folder, [])[: args.commits]:
            before = blobs.json(f"{commit}^:{folder}/{DEFINITION}")
            after = blobs.json(f"{commit}:{folder}/{DEFINITION}")
            if before is None or after is None:
                continue  # the connector was added (or unreadable) in that commit
            start = time.perf_counter()
            changes = compare(read_surface(before, blobs.json(f"{commit}^:{folder}/{PROPERTIES}")),
                              read_surface(after, blobs.json(f"{commit}:{folder}/{PROPERTIES}")))
            timings.append(time.perf_counter() - start)
            compared += 1
            classes.update(c.kind + (" (versioned)" if c.versioned else "") for c in changes)
            blocking = [c for c in changes if c.blocks]
            if blocking:
                breaking_pairs += 1
                samples += [(folder, commit[:10], c) for c in blocking]

    print(f"connectors at HEAD: {len(folders)}; unreadable JSON: {unreadable}; "
          f"self-comparisons with a change (should be 0): {len(self_changes)} {self_changes[:5]}")
    print(f"definition changes classified: {compared}; with a breaking change: {breaking_pairs}")
    if timings:
        print(f"compare time per change: median {statistics.median(timings) * 1000:.1f} ms, "
              f"max {max(timings) * 1000:.1f} ms")
    for kind, count in classes.most_common():
        print(f"  {count:6d}  {kind}")
    random.Random(args.seed).shuffle(samples)
    print(f"\n{min(args.samples, len(samples))} random breaking verdicts (of {len(samples)}):")
    for folder, commit, change in samples[: args.samples]:
        print(f"  {folder} @ {commit}: {change.operation or 'connector'}: {change.message} [{change.kind}]")
    return 1 if self_changes else 0


if __name__ == "__main__":
    sys.exit(main())

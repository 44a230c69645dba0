"""Coach mode: GitHubPublisher(data_path=...) keeps each athlete's files in its own folder."""

from __future__ import annotations

import json
from datetime import date

from publish_helpers import commits, git, make_files

TODAY = date(2026, 11, 22)


def test_each_prefix_reads_and_writes_only_its_own_folder(publisher, bare):
    anna, ben = make_files(ftp=250), make_files(ftp=300, activities=("i201",))
    with publisher(data_path="athletes/anna/") as pub:
        assert pub.read_state() == {}
        assert pub.publish(anna, today=TODAY).committed
    with publisher(data_path="athletes/ben") as pub:
        assert pub.read_state() == {}  # anna's files are not ben's state
        assert pub.publish(ben, today=TODAY).committed
    tree = git(bare, "ls-tree", "-r", "--name-only", "main").split()
    assert {f"athletes/{who}/{name}" for who in ("anna", "ben") for name in anna} <= set(tree)
    assert "latest.json" not in tree  # nothing at the root
    assert json.loads(git(bare, "show", "main:athletes/ben/ftp_history.json")) == {
        "cycling": {"2026-11-01": 300}
    }
    before = len(commits(bare))
    with publisher(data_path="athletes/anna") as pub:
        assert pub.read_state() == anna  # its own state, read back from its folder
        again = pub.publish(make_files(ftp=250, stamp="2026-11-22T08:00:00+00:00"), today=TODAY)
        assert not again.committed and "unchanged" in again.message
        assert pub.describe("latest.json").endswith(":athletes/anna/latest.json")
    assert len(commits(bare)) == before


def test_archive_entries_live_under_the_prefix_too(publisher, bare):
    with publisher(data_path="athletes/anna", archive="daily") as pub:
        assert pub.publish(make_files(), today=TODAY).committed
    tree = git(bare, "ls-tree", "-r", "--name-only", "main").split()
    archived = [p for p in tree if "archive" in p]
    assert archived and all(p.startswith("athletes/anna/archive/") for p in archived)

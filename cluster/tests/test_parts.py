"""The parts that need no Ray cluster: placement, the state file, what
makes two articles exact copies, the command line."""

import pytest

from dateline_cluster import cli, remote, state
from dateline_cluster.indexing import place
from dateline_cluster.state import ClusterState, CoordinatorPlace, ShardPlace, StateError


def recorded(nodes):
    return ClusterState(
        root="/r",
        namespace="dateline-x",
        paths=["/news"],
        shards=[
            ShardPlace(shard=k, of=len(nodes), node_id=node, index=f"/r/shard-{k}", port=7700 + k)
            for k, node in enumerate(nodes, start=1)
        ],
    )


def test_new_shards_go_round_robin():
    assert place(5, None, ["a", "b"]) == ["a", "b", "a", "b", "a"]


def test_a_shard_stays_on_its_node_while_it_lives():
    assert place(3, recorded(["b", "b", "a"]), ["a", "b", "c"]) == ["b", "b", "a"]


def test_a_lost_nodes_shards_go_to_the_least_loaded_live_nodes():
    assert place(4, recorded(["a", "gone", "gone", "b"]), ["a", "b", "c"]) == ["a", "c", "a", "b"]


def test_no_live_node_is_an_error():
    with pytest.raises(StateError):
        place(2, None, [])


def test_the_state_file_reads_back_what_was_written(tmp_path):
    written = recorded(["a", "b"])
    written.root = str(tmp_path)
    written.coordinator = CoordinatorPlace(node_id="a", port=7700, url="http://127.0.0.1:7700/")
    state.save(written)
    assert state.load(str(tmp_path)) == written


def test_a_missing_state_file_says_what_to_run(tmp_path):
    with pytest.raises(StateError, match="run `python -m dateline_cluster index"):
        state.load(str(tmp_path))


def test_each_root_has_its_own_namespace(tmp_path):
    assert state.namespace_of(str(tmp_path / "a")) != state.namespace_of(str(tmp_path / "b"))
    assert state.namespace_of(str(tmp_path / "a")) == state.namespace_of(str(tmp_path / "a/../a"))


def test_copies_differ_only_in_case_and_white_space_and_run_the_same_day():
    one = remote.content_digest("OIL PRICES RISE", "Crude rose\n  today.", "1987-03-02")
    assert one == remote.content_digest("Oil prices  rise", "crude ROSE today.", "1987-03-02")
    assert one != remote.content_digest("Oil prices rise", "crude rose today.", "1987-03-03")
    assert one != remote.content_digest("Oil prices rise", "crude rose today!", "1987-03-02")
    # Headline and body are told apart.
    assert remote.content_digest("a b", "c", None) != remote.content_digest("a", "b c", None)


def test_the_command_line_takes_the_documented_defaults(monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")
    monkeypatch.setenv("DATELINE_BIN", "/opt/dateline")
    args = cli.parser().parse_args(["status", "--root", "/r"])
    assert (args.address, args.dateline, args.json, args.copies) == (
        "10.0.0.1:6379",
        "/opt/dateline",
        False,
        False,
    )
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["index", "news", "--shards", "0", "--root", "/r"])

"""OpenSearch/Elasticsearch bulk documents: shape, ids, Rally's index names, secrets masked."""

from __future__ import annotations

import copy
import io
import json
from dataclasses import replace

from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.reports.bulk import INDICES, bulk_lines, documents, flatten
from squall.reports.exporters.base import Exporter, RunData

from .runs import RUN_ID, read_iterations, run_data, run_record


def parse(text: str) -> list[tuple[dict, dict]]:
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) % 2 == 0
    return list(zip(lines[::2], lines[1::2], strict=True))


def export(**options) -> list[tuple[dict, dict]]:
    cls = load_registry().get(Family.EXPORTER, "opensearch-bulk", Exporter)
    out = io.StringIO()
    cls(cls.parse_config(options)).export([run_data()], out)
    return parse(out.getvalue())


def test_rally_index_names_and_document_counts():
    pairs = export(indices="rally")
    indices = [meta["index"]["_index"] for meta, _ in pairs]
    assert indices[0] == "rally_task_data_v1"
    assert indices.count("rally_workload_data_v1") == 2
    # 5 iterations x (boot, wait, delete) + the failed iteration's own error doc
    actions = [
        body for meta, body in pairs if meta["index"]["_index"] == "rally_atomic_action_data_v1"
    ]
    assert len(actions) == 15
    assert all("_type" not in meta["index"] for meta, _ in pairs)


def test_task_and_workload_documents():
    pairs = export()
    (task_meta, task), (wl_meta, workload) = pairs[0], pairs[1]
    assert task_meta["index"] == {"_index": "squall_run_v1", "_id": RUN_ID}
    assert task["task_uuid"] == RUN_ID and task["tags"] == ["ci"] and task["pass_sla"] is False
    assert workload["scenario_name"] == "NovaServers.boot_and_delete_server"
    assert workload["runner_name"] == "constant"
    assert "times=5" in workload["runner_cfg"]
    assert workload["success_rate"] == 0.8
    assert workload["sla_details"] and workload["iterations"] == 5
    assert workload["achieved_rate"] is None  # infinite: no JSON number
    assert wl_meta["index"]["_id"] == f"{RUN_ID}_0_0"


def test_action_documents_nest_and_carry_errors():
    pairs = export()
    actions = [body for meta, body in pairs if meta["index"]["_index"] == "squall_atomic_action_v1"]
    ids = [
        meta["index"]["_id"]
        for meta, _ in pairs
        if meta["index"]["_index"] == "squall_atomic_action_v1"
    ]
    assert ids[0] == f"{RUN_ID}_0_0_iter_1_action_nova.boot_server_0"
    waits = [a for a in actions if a["action_name"] == "nova.wait"]
    assert waits[0]["parent"] == ids[0]
    failed = [a for a in actions if not a["success"]]
    assert [a["action_name"] for a in failed] == ["nova.delete_server"]
    assert failed[0]["error"][0] == "TimeoutError"
    assert actions[0]["workload_uuid"] == f"{RUN_ID}_0_0"


def test_no_actions_and_doc_type():
    pairs = export(actions=False, doc_type="data")
    assert len(pairs) == 3
    assert all(meta["index"]["_type"] == "data" for meta, _ in pairs)


def test_failure_outside_any_action_gets_a_no_name_document():
    record = run_record()
    items = copy.deepcopy(list(read_iterations(1)))  # the shared records stay as they are
    items[2].atomic_actions[-1].failed = False  # the error now happened after the last action
    run = RunData(replace(record, workloads=record.workloads[:1]), lambda _: items)
    docs = [d for d in documents([run], INDICES["squall"]) if d.index.endswith("action_v1")]
    names = [d.body["action_name"] for d in docs if not d.body["success"]]
    assert names == ["no-name-action"]


def test_secrets_in_configs_are_masked():
    record = run_record()
    workload = record.workloads[0]
    config = dict(workload.config)
    config["contexts"] = {"users": {"password": "canary-s3cret", "name": "u"}}
    record = replace(record, workloads=[replace(workload, config=config)])
    text = "".join(bulk_lines(documents([RunData(record, read_iterations)], INDICES["squall"])))
    assert "canary-s3cret" not in text
    assert "users.password=***" in text


def test_flatten():
    assert flatten({"a": {"b": 1}, "c": [1, 2], "d": [{"e": "x"}]}) == [
        "a.b=1",
        "c=[1, 2]",
        "d[0].e=x",
    ]

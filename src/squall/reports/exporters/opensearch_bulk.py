"""``opensearch-bulk``: runs as OpenSearch / Elasticsearch ``_bulk`` NDJSON.

Rally's index names are accepted (``indices: rally``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field

from squall.reports.bulk import INDICES, bulk_lines, documents
from squall.reports.exporters.base import Exporter, RunData, options


class BulkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indices: Literal["squall", "rally"] = Field(
        default="squall",
        description="index names: squall's, or Rally's (rally_task_data_v1, ...)",
    )
    actions: bool = Field(default=True, description="one document per atomic action run")
    doc_type: str | None = Field(
        default=None, description="a _type for Elasticsearch 6 and older (Rally used 'data')"
    )


class BulkExporter(Exporter):
    """Documents for the ``_bulk`` API: runs, workloads and atomic actions.

    Load the file with ``curl -H 'Content-Type: application/x-ndjson'
    --data-binary @runs.ndjson URL/_bulk``, or let ``squall task push`` send it.
    """

    name: ClassVar[str] = "opensearch-bulk"
    Config: ClassVar[type[BaseModel]] = BulkConfig
    media_type: ClassVar[str] = "application/x-ndjson"
    suffix: ClassVar[str] = ".ndjson"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.options = options(config, BulkConfig)

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        docs = documents(runs, INDICES[self.options.indices], actions=self.options.actions)
        for line in bulk_lines(docs, self.options.doc_type):
            out.write(line)

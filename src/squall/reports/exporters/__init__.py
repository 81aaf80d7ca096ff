"""Exporters: write stored runs to files other tools read (family ``exporter``).

``base.Exporter`` is the contract; ``base.RunData`` is what they are given.
"""

BUILTIN: dict[str, str] = {
    "json": "squall.reports.exporters.squall_json:SquallJSONExporter",
    "rally-json": "squall.reports.exporters.rally_json:RallyJSONExporter",
    "junit-xml": "squall.reports.exporters.junit_xml:JUnitXMLExporter",
    "csv": "squall.reports.exporters.csv_table:CSVExporter",
    "opensearch-bulk": "squall.reports.exporters.opensearch_bulk:BulkExporter",
}

"""Files an agent may write into its work directory when a command asks for them.

They travel inside the (signed) agent bundle, never inside a command: a command only
names them. Standard library only.
"""

from __future__ import annotations

WRK_REPORT_LUA = """\
-- squall: print wrk's summary and latency quantiles as one JSON line (microseconds)
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'SQUALL-WRK {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency":{"min":%d,"max":%d,"mean":%.1f,"stdev":%.1f,"quantiles":[',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.max, latency.mean, latency.stdev))
  for i = 1, 1000 do
    if i > 1 then io.write(",") end
    io.write(latency:percentile(i / 10))
  end
  io.write("]}}\\n")
end
"""

ASSETS = {"wrk-report.lua": WRK_REPORT_LUA}

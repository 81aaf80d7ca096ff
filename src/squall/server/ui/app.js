// squall's web UI: runs, a run's results, live progress (server-sent events), reports,
// and the stored data-plane runs with their reports.
"use strict";
const api = (path, options) =>
  fetch("/api/v1" + path, { credentials: "same-origin", ...options }).then(async (r) => {
    const body = r.headers.get("content-type")?.includes("json") ? await r.json() : await r.text();
    if (!r.ok) throw new Error((body && (body.error || body.detail)) || r.statusText);
    return body;
  });
const text = (value) => document.createTextNode(value == null ? "" : String(value));
const cell = (row, value, cls) => {
  const td = row.insertCell();
  td.appendChild(value instanceof Node ? value : text(value));
  if (cls) td.className = cls;
  return td;
};
const secs = (v) => (v == null ? "n/a" : v < 1 ? (v * 1000).toPrecision(3) + " ms" : v.toFixed(3) + " s");
let source = null;
let selected = null;

async function loadRuns() {
  const runs = await api("/runs");
  const body = document.querySelector("#runs tbody");
  body.replaceChildren();
  for (const run of runs) {
    const row = body.insertRow();
    row.dataset.id = run.id;
    cell(row, run.id.slice(0, 8));
    cell(row, new Date(run.created_at * 1000).toISOString().replace("T", " ").slice(0, 19));
    cell(row, run.title);
    cell(row, run.status);
    cell(row, run.pass_sla ? "pass" : "FAIL", run.pass_sla ? "ok" : "bad");
    cell(row, run.workloads);
    cell(row, run.tags.join(", "));
    const link = reportLink("/runs/" + run.id);
    link.addEventListener("click", (e) => e.stopPropagation());
    cell(row, link);
    row.addEventListener("click", () => showRun(run.id));
  }
  document.getElementById("status").textContent = runs.length + " runs";
  return runs;
}

const reportLink = (path) => {
  const link = document.createElement("a");
  link.href = "/api/v1" + path + "/report";
  link.target = "_blank";
  link.textContent = "report";
  return link;
};

async function loadDataplane() {
  const runs = await api("/dataplane/runs");
  const body = document.querySelector("#dataplane-runs tbody");
  body.replaceChildren();
  for (const run of runs) {
    const row = body.insertRow();
    row.dataset.id = run.id;
    cell(row, run.id.slice(0, 8));
    cell(row, new Date(run.started_at * 1000).toISOString().replace("T", " ").slice(0, 19));
    cell(row, run.title);
    cell(row, run.provider + ", " + run.network_mode);
    cell(row, run.status + (run.running_here ? " (here)" : ""), run.status === "finished" ? "ok" : run.status === "running" ? "" : "bad");
    cell(row, run.agents);
    const link = reportLink("/dataplane/runs/" + run.id);
    link.addEventListener("click", (e) => e.stopPropagation());
    cell(row, link);
    row.addEventListener("click", () => followDataplane(run.id));
  }
  document.getElementById("dataplane").hidden = runs.length === 0;
  return runs;
}

let dpSource = null;

function followDataplane(id) {
  if (dpSource) dpSource.close();
  document.getElementById("dp-detail").hidden = false;
  document.body.dataset.dataplane = "";
  dpSource = new EventSource("/api/v1/dataplane/runs/" + id + "/events");
  const onEvent = (event) => {
    const p = JSON.parse(event.data);
    document.getElementById("dp-title").textContent = p.title + " (" + p.run_id.slice(0, 8) + ")";
    document.getElementById("dp-facts").textContent = p.status + (p.running_here ? " here" : "") +
      (p.current_test ? " · " + p.current_test : "") + " · " + p.tests_stored + " test repetitions stored" +
      (p.error ? " · " + p.error : "");
    document.getElementById("dp-log").textContent = p.log.join("\n");
    if (event.type === "end") {
      dpSource.close();
      loadDataplane().catch(() => {});
    }
    document.body.dataset.dataplane = event.type === "end" ? p.status : "running";
  };
  dpSource.addEventListener("progress", onEvent);
  dpSource.addEventListener("end", onEvent);
}

async function showRun(id) {
  selected = id;
  await renderRun(id);
  follow(id);
}

async function renderRun(id) {
  const run = await api("/runs/" + id);
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent = run.title + " (" + run.id.slice(0, 8) + ")";
  document.getElementById("detail-facts").textContent =
    run.status + " · squall " + run.environment.squall_version + " · host " + run.environment.host;
  const body = document.querySelector("#workloads tbody");
  body.replaceChildren();
  for (const w of run.workload_results) {
    const total = w.stats.find((s) => s.name === "total > duration") || w.stats.find((s) => s.name === "total") || {};
    const row = body.insertRow();
    cell(row, w.subtask_index + "." + w.workload_index + " " + w.subtask_title);
    cell(row, w.scenario);
    cell(row, w.status);
    cell(row, w.iterations);
    cell(row, w.failed, w.failed ? "bad" : "");
    cell(row, w.achieved_rate == null ? "n/a" : w.achieved_rate.toFixed(1) + "/s");
    cell(row, secs(total.median));
    cell(row, secs(total.p95));
    cell(row, secs(total.p99));
    cell(row, w.pass_sla ? "pass" : "FAIL", w.pass_sla ? "ok" : "bad");
  }
}

function follow(id) {
  if (source) source.close();
  document.body.dataset.progress = "";
  document.body.dataset.following = id;
  const chart = document.getElementById("live-chart");
  const series = { t: [], done: [], rate: [], failed: [] };
  Plotly.newPlot(chart, [
    { x: series.t, y: series.done, name: "iterations done", mode: "lines" },
    { x: series.t, y: series.failed, name: "failed", mode: "lines" },
    { x: series.t, y: series.rate, name: "iterations/s", mode: "lines", yaxis: "y2" },
  ], {
    title: { text: "Live progress", font: { size: 14 } },
    margin: { l: 50, r: 50, t: 40, b: 40 },
    xaxis: { title: { text: "seconds" } },
    yaxis: { title: { text: "iterations" }, rangemode: "tozero" },
    yaxis2: { title: { text: "per second" }, overlaying: "y", side: "right", rangemode: "tozero" },
    legend: { orientation: "h" },
  }, { displaylogo: false, responsive: true });
  source = new EventSource("/api/v1/runs/" + id + "/events");
  const onEvent = (event) => {
    const progress = JSON.parse(event.data);
    const current = progress.workloads[progress.workloads.length - 1];
    if (current) {
      series.t.push(current.elapsed);
      series.done.push(current.done);
      series.failed.push(current.failed);
      series.rate.push(current.rate);
      Plotly.redraw(chart);
    }
    if (event.type === "end") {
      source.close();
      if (selected === id && progress.workloads.length) {
        Promise.all([loadRuns(), renderRun(id)]).finally(() => {
          document.body.dataset.progress = progress.status;
        });
        return;
      }
    }
    document.body.dataset.progress = progress.status;
  };
  source.addEventListener("progress", onEvent);
  source.addEventListener("end", onEvent);
}

async function submit(path) {
  const out = document.getElementById("task-result");
  const tags = document.getElementById("task-tags").value.split(",").map((s) => s.trim()).filter(Boolean);
  const body = { task: document.getElementById("task-text").value, task_args: document.getElementById("task-args").value || null };
  if (path === "/tasks") body.tags = tags;
  try {
    const answer = await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    out.textContent = JSON.stringify(answer, null, 2);
    if (answer.run_id) { await loadRuns(); showRun(answer.run_id); }
  } catch (error) {
    out.textContent = String(error.message);
  }
}

document.getElementById("validate").addEventListener("click", () => submit("/tasks/validate"));
document.getElementById("start").addEventListener("click", () => submit("/tasks"));
loadRuns().then((runs) => { document.body.dataset.ready = "yes"; if (runs.length) showRun(runs[0].id); })
  .catch((e) => { document.getElementById("status").textContent = String(e.message); document.body.dataset.ready = "failed"; });
loadDataplane().catch((e) => { document.getElementById("status").textContent = String(e.message); });
setInterval(() => { loadRuns().catch(() => {}); loadDataplane().catch(() => {}); }, 5000);

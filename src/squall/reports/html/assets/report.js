// Unpacks the inlined plotly bundle (gzip, base64) and draws every figure of the page.
(async function () {
  const status = document.getElementById("status");
  try {
    if (!window.Plotly) {
      const packed = document.getElementById("plotly-gz").textContent.trim();
      const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      const source = await new Response(stream).text();
      const script = document.createElement("script");
      script.textContent = source;
      document.head.appendChild(script);
    }
    const figures = JSON.parse(document.getElementById("figures").textContent);
    const config = { displaylogo: false, responsive: true };
    for (const figure of figures) {
      await Plotly.newPlot(figure.id, figure.data, figure.layout, config);
    }
    document.body.dataset.charts = String(figures.length);
    document.body.dataset.state = "rendered";
    if (status) status.textContent = figures.length + " charts";
  } catch (error) {
    document.body.dataset.state = "failed";
    if (status) status.textContent = "charts could not be drawn: " + error;
    console.error(error);
  }
})();

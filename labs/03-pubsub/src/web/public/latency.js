// The end-to-end latency of each frame's newest record: the time this page has swapped it in,
// minus the time the web service received it from Redis (data-received-at of #last-update, in the
// same message). Shows the latest, and the median and 95th percentile of the last WINDOW records.
(() => {
  const WINDOW = 100;
  const samples = [];
  let lastEventId;

  function percentile(sorted, p) {
    return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  }

  function show(id, value) {
    const output = document.getElementById(id);
    if (output) output.textContent = value;
  }

  // hx-sse fires this once a message has been swapped in, out-of-band swaps included.
  document.addEventListener("htmx:sse:after:message", (event) => {
    if (event.detail.message.event) return; // a named event (status) carries no record
    const stamp = document.getElementById("last-update");
    const receivedAt = Number(stamp?.dataset.receivedAt);
    // The update sent on connecting has no receivedAt: its records are not news.
    if (!stamp || !Number.isFinite(receivedAt) || stamp.dataset.eventId === lastEventId) return;
    lastEventId = stamp.dataset.eventId;
    const latency = Date.now() - receivedAt;
    samples.push(latency);
    if (samples.length > WINDOW) samples.shift();
    const sorted = [...samples].sort((a, b) => a - b);
    show("latency-latest", `${latency} ms`);
    show("latency-p50", `${percentile(sorted, 50)} ms`);
    show("latency-p95", `${percentile(sorted, 95)} ms`);
    show("latency-count", String(samples.length));
  });
})();

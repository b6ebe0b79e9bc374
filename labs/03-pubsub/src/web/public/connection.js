// The connection indicator (#connection): what the page knows about its two links, the page's
// own to the web service (hx-sse's lifecycle events) and the web's to Redis (the `status`
// events the web sends on the stream).
(() => {
  const TEXT = {
    connected: ["ok", "Connected: each record is pushed to this page the moment it is published."],
    "redis-reconnecting": [
      "warning",
      "Connected to the web service, but the web service has lost Redis and is reconnecting: no records meanwhile.",
    ],
    "web-reconnecting": ["error", "Lost the connection to the web service: reconnecting…"],
    closed: ["error", "The connection to the web service is closed: reload the page."],
  };

  function start() {
    const feed = document.querySelector("[hx-sse\\:connect]");
    const indicator = document.getElementById("connection");
    if (!feed || !indicator) return;
    let redis = "connected";

    function show(state) {
      const [tone, text] = TEXT[state];
      indicator.dataset.state = state;
      indicator.className = `banner banner--${tone}`;
      indicator.textContent = text;
    }

    feed.addEventListener("htmx:sse:after:connection", () => {
      // A fresh stream starts with a `status` event whenever the web is not connected to Redis.
      redis = "connected";
      show("connected");
    });
    feed.addEventListener("status", (event) => {
      try {
        redis = JSON.parse(event.detail.data).redis;
      } catch {
        return;
      }
      show(redis === "connected" ? "connected" : "redis-reconnecting");
    });
    // hx-sse announces each new attempt: attempt 0 is the first connection, later ones are reconnections.
    feed.addEventListener("htmx:sse:before:connection", (event) => {
      if (event.detail.connection.attempt > 0) show("web-reconnecting");
    });
    feed.addEventListener("htmx:sse:error", () => show("web-reconnecting"));
    feed.addEventListener("htmx:sse:close", () => show("closed"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

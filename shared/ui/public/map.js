// The Leaflet map of the track. For each element with data-track-map="<id>", makes a Leaflet map
// in its .leaflet-host and draws the track found in the data-track attribute (JSON [[lat, lon], …])
// of the element with that id, again each time htmx swaps that element in (poll answers in lab 02,
// server-sent events in lab 03). The map is shown once a tile has loaded: offline, the tiles fail,
// and the server-drawn SVG that covers the map stays what the student sees.

(() => {
  const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const ATTRIBUTION =
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

  function readTrack(source) {
    try {
      const track = JSON.parse(source?.dataset.track ?? "[]");
      return Array.isArray(track) ? track : [];
    } catch {
      return [];
    }
  }

  function createMap(stack) {
    const host = stack.querySelector(".leaflet-host");
    const sourceId = stack.dataset.trackMap;
    // No view until there is a track: no tiles are fetched for a world map nobody asked for.
    const map = L.map(host, { attributionControl: true });
    const tiles = L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION });
    tiles.once("tileload", () => stack.classList.add("is-online"));
    tiles.addTo(map);
    const line = L.polyline([], { color: "#1b5fbf", weight: 4 }).addTo(map);
    const start = L.circleMarker([0, 0], { radius: 6, color: "#1d7a46", fillColor: "#fff", fillOpacity: 1 });
    const current = L.circleMarker([0, 0], {
      radius: 7,
      color: "#fff",
      fillColor: "#b3261e",
      fillOpacity: 1,
    });
    let fitted = false;

    function update() {
      const track = readTrack(document.getElementById(sourceId));
      const first = track[0];
      const last = track[track.length - 1];
      line.setLatLngs(track);
      if (!first || !last) return;
      start.setLatLng(first).addTo(map);
      current.setLatLng(last).addTo(map);
      // Fit the whole track once; after that, follow the current position only when it leaves
      // the view, so that a student who zoomed in is not thrown out again every second.
      if (!fitted) {
        map.fitBounds(line.getBounds(), { padding: [20, 20], maxZoom: 17 });
        fitted = true;
      } else if (!map.getBounds().contains(last)) {
        map.panTo(last);
      }
    }

    update();
    return { sourceId, update };
  }

  function start() {
    if (typeof L === "undefined") return; // Leaflet did not load: the SVG drawing is all there is.
    const maps = Array.from(document.querySelectorAll("[data-track-map]"), createMap);
    // htmx fires htmx:after:settle on each element it swapped in, out-of-band ones included.
    document.addEventListener("htmx:after:settle", (event) => {
      for (const map of maps) {
        if (event.target instanceof Element && event.target.id === map.sourceId) map.update();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

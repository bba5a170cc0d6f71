/**
 * The status page. It loads the official socket.io-client browser bundle from this server
 * (`/socket.io-client.min.js`), asks for the numbers once (`watch`, with an ack), then
 * repaints on every `stats` push. The ping button times an ack round trip (`rtt`).
 */

/** Where the page loads the socket.io-client bundle from. */
export const CLIENT_BUNDLE_PATH = "/socket.io-client.min.js";

// Runs in the browser as is: plain ES5 (no build step), and no backticks, as it sits in one.
const SCRIPT = `
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var mib = function (bytes) { return (bytes / 1048576).toFixed(1) + " MiB"; };
  var duration = function (s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + "h " : "") + (h || m ? m + "m " : "") + (s % 60) + "s";
  };
  function paint(stats) {
    $("clients").textContent = stats.clients;
    $("namespaces").textContent = stats.namespaces.length;
    $("rooms").textContent = stats.rooms;
    $("rate").textContent = stats.messagesPerSecond;
    $("total").textContent = stats.totalMessages;
    $("uptime").textContent = duration(stats.uptimeSeconds);
    $("memory").textContent = mib(stats.memory.rss) + " rss, " + mib(stats.memory.heapUsed) + " heap";
    var rows = $("nsps");
    rows.textContent = "";
    stats.namespaces.forEach(function (n) {
      var tr = document.createElement("tr");
      [n.name, n.sockets, n.rooms].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }
  var socket = io();
  var showTransport = function () {
    $("state").textContent = "connected (" + socket.io.engine.transport.name + ")";
  };
  socket.on("connect", function () {
    showTransport();
    socket.emit("watch", paint);
  });
  socket.io.on("open", function () { socket.io.engine.on("upgrade", showTransport); });
  socket.on("disconnect", function (reason) { $("state").textContent = "disconnected: " + reason; });
  socket.on("connect_error", function (err) { $("state").textContent = "connect error: " + err.message; });
  socket.on("stats", paint);
  $("ping").addEventListener("click", function () {
    var started = performance.now();
    $("latency").textContent = "…";
    socket.timeout(5000).emit("rtt", function (err) {
      $("latency").textContent = err ? "timed out" : (performance.now() - started).toFixed(1) + " ms";
    });
  });
})();
`;

/** The whole page (static: every number arrives over Socket.IO). */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>omnio status</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 42rem; padding: 0 1rem; color: #222; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.5rem; }
  dt { color: #666; } dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
  table { border-collapse: collapse; margin-top: 1rem; } td, th { padding: .2rem .8rem; border-bottom: 1px solid #ddd; text-align: left; }
  #state { color: #666; }
</style>
</head>
<body>
<h1>omnio status</h1>
<p id="state">connecting…</p>
<dl>
  <dt>connected clients</dt><dd id="clients">–</dd>
  <dt>namespaces</dt><dd id="namespaces">–</dd>
  <dt>rooms</dt><dd id="rooms">–</dd>
  <dt>messages/s (received)</dt><dd id="rate">–</dd>
  <dt>messages in total</dt><dd id="total">–</dd>
  <dt>uptime</dt><dd id="uptime">–</dd>
  <dt>memory</dt><dd id="memory">–</dd>
</dl>
<table><thead><tr><th>namespace</th><th>sockets</th><th>rooms</th></tr></thead><tbody id="nsps"></tbody></table>
<p><button id="ping" type="button">ping</button> <span id="latency"></span></p>
<p><a href="/status.json">status.json</a></p>
<script src="${CLIENT_BUNDLE_PATH}"></script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

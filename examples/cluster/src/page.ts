/** The demo page: a shared chat that shows which node each message came through. */
export const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>omnio cluster</title>
<style>
  body { font: 15px system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
  #log { list-style: none; padding: 0; } #log li { padding: .2rem 0; border-bottom: 1px solid #eee; }
  .node { font-family: monospace; color: #555; }
</style>
<h1>omnio cluster</h1>
<p>Connected to node <b id="node">…</b> over <b id="transport">…</b>.
<label><input type="checkbox" id="polling"> polling only (reload)</label></p>
<form id="form"><input id="text" autocomplete="off" placeholder="say something"> <button>Send</button></form>
<ul id="log"></ul>
<script src="/socket.io/socket.io.js"></script>
<script>
  const pollingOnly = location.hash === "#polling";
  document.getElementById("polling").checked = pollingOnly;
  document.getElementById("polling").onchange = (e) => { location.hash = e.target.checked ? "polling" : ""; location.reload(); };
  const socket = io({ transports: pollingOnly ? ["polling"] : ["polling", "websocket"] });
  const $ = (id) => document.getElementById(id);
  const add = (text) => { const li = document.createElement("li"); li.textContent = text; $("log").prepend(li); };
  socket.on("welcome", (w) => { $("node").textContent = w.node; add("welcome from node " + w.node); });
  socket.io.on("open", () => {
    const engine = socket.io.engine;
    $("transport").textContent = engine.transport.name || engine.transport;
    engine.on("upgrade", () => { $("transport").textContent = "websocket"; });
  });
  socket.on("chat", (m) => add("[" + m.node + "] " + m.from.slice(0, 6) + ": " + m.text));
  $("form").onsubmit = (e) => { e.preventDefault(); socket.emit("chat", $("text").value); $("text").value = ""; };
</script>
</html>
`;

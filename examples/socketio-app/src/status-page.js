// The small HTML status page served at `/`.

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Public rooms of a namespace (a socket's own room, named after its id, is left out). */
export function publicRooms(nsp) {
  const rooms = [];
  for (const [room, members] of nsp.adapter.rooms) {
    if (!nsp.adapter.sids.has(room)) rooms.push({ room, members: members.size });
  }
  return rooms.sort((a, b) => (a.room < b.room ? -1 : 1));
}

/** Renders the status page of `io`. */
export function renderStatusPage(io, startedAt) {
  const chat = io.of("/chat");
  const rows = publicRooms(chat)
    .map(({ room, members }) => `<tr><td>${escapeHtml(room)}</td><td>${members}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>socketio-app status</title></head>
<body>
<h1>socketio-app status</h1>
<ul>
<li>connections: <span id="connections">${io.engine.clientsCount}</span></li>
<li>main namespace sockets: <span id="main">${io.sockets.sockets.size}</span></li>
<li>chat sockets: <span id="chat">${chat.sockets.size}</span></li>
<li>uptime: <span id="uptime">${Math.floor((Date.now() - startedAt) / 1000)}</span> s</li>
</ul>
<table><thead><tr><th>room</th><th>members</th></tr></thead><tbody>${rows}</tbody></table>
</body>
</html>
`;
}

// The chat page. Plain JavaScript on the omnio browser client (global `io`, loaded by
// /socket.io/omnio.min.js). Every text from the network is rendered with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const socket = io({ reconnectionDelay: 500, reconnectionDelayMax: 5000 });

const ui = {
  status: $("status"),
  statusText: $("status-text"),
  transport: $("transport"),
  attempts: $("attempts"),
  me: $("me"),
  rooms: $("rooms"),
  members: $("members"),
  roomTitle: $("room-title"),
  leave: $("leave"),
  messages: $("messages"),
  placeholder: $("placeholder"),
  typing: $("typing"),
  composer: $("composer"),
  text: $("text"),
  send: $("send"),
  fileInput: $("file-input"),
  error: $("error"),
  nickDialog: $("nick-dialog"),
  nickForm: $("nick-form"),
  nickInput: $("nick-input"),
  nickError: $("nick-error"),
  newRoomForm: $("new-room-form"),
  newRoomInput: $("new-room-input"),
};

const state = {
  nickname: undefined,
  room: undefined,
  roomList: [],
  limits: { maxFileBytes: 2 * 1024 * 1024, inlineImageTypes: [] },
  typers: new Map(), // socket id → { nickname, timer }
  objectUrls: [],
  typingSent: false,
  typingTimer: undefined,
  attempts: 0,
};

// ---- connection status badge ----------------------------------------------------------------

function transportName() {
  const engine = socket.io.engine;
  if (!engine) return "";
  const t = engine.transport; // omnio: the name; socket.io-client: an object with `name`
  return typeof t === "string" ? t : t ? t.name : "";
}

function connectionState() {
  if (typeof socket.state === "string") return socket.state; // omnio's observable state
  if (socket.connected) return "connected";
  return socket.active ? (state.attempts > 0 ? "reconnecting" : "connecting") : "disconnected";
}

function renderStatus() {
  const s = connectionState();
  ui.status.dataset.state = s;
  ui.statusText.textContent = s;
  const transport = s === "connected" ? transportName() : "";
  const upgraded = socket.io.engine && socket.io.engine.upgraded === true;
  ui.transport.textContent = transport + (upgraded && transport === "websocket" ? " (upgraded)" : "");
  ui.status.title = `Connection: ${s}${transport ? " over " + transport : ""}`;
  ui.attempts.hidden = state.attempts === 0;
  ui.attempts.textContent = `attempt ${state.attempts}`;
  const ready = s === "connected" && state.room !== undefined;
  ui.text.disabled = !ready;
  ui.send.disabled = !ready;
  ui.leave.disabled = !ready;
}

if (typeof socket.onStateChange === "function") socket.onStateChange(renderStatus);
socket.io.on("open", () => {
  const engine = socket.io.engine;
  if (engine) engine.on("upgrade", renderStatus);
  renderStatus();
});
socket.io.on("reconnect_attempt", (n) => {
  state.attempts = n;
  renderStatus();
});
socket.io.on("reconnect", () => {
  state.attempts = 0;
  renderStatus();
});
socket.io.on("reconnect_failed", renderStatus);
socket.on("connect_error", renderStatus);
socket.on("disconnect", () => {
  clearTypers();
  renderStatus();
});
socket.on("connect", () => {
  renderStatus();
  // After a reconnection the server has forgotten us (new socket, maybe a restarted server).
  if (state.nickname !== undefined) identify(state.nickname, state.room);
});

// ---- helpers ------------------------------------------------------------------------------

let errorTimer;
function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => (ui.error.hidden = true), 4000);
}

function request(event, ...args) {
  return new Promise((resolve) => {
    socket.timeout(10000).emit(event, ...args, (err, reply) => {
      if (err) resolve({ ok: false, error: { code: "TIMEOUT", message: "The server did not answer." } });
      else resolve(reply);
    });
  });
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatBytes(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}

// ---- nickname and rooms ------------------------------------------------------------------

async function identify(nickname, room) {
  const reply = await request("hello", nickname);
  if (!reply.ok) return reply;
  state.nickname = reply.nickname;
  state.limits = reply.limits;
  ui.me.textContent = `you are ${reply.nickname}`;
  ui.me.hidden = false;
  renderRooms(reply.rooms);
  if (room !== undefined) await join(room);
  return reply;
}

async function join(room) {
  const reply = await request("join", room);
  if (!reply.ok) {
    showError(reply.error.message);
    return;
  }
  stopTyping();
  state.room = reply.room;
  ui.roomTitle.textContent = `# ${reply.room}`;
  ui.placeholder.hidden = true;
  clearMessages();
  clearTypers();
  for (const message of reply.history) addMessage(message);
  renderMembers(reply.members);
  renderRooms(state.roomList);
  renderStatus();
  ui.text.focus();
}

async function leave() {
  const reply = await request("leave");
  if (!reply.ok) return showError(reply.error.message);
  state.room = undefined;
  ui.roomTitle.textContent = "No room";
  ui.placeholder.hidden = false;
  clearMessages();
  clearTypers();
  renderMembers([]);
  renderRooms(state.roomList);
  renderStatus();
}

function renderRooms(rooms) {
  state.roomList = rooms;
  ui.rooms.replaceChildren(
    ...rooms.map((room) => {
      const button = el("button", room.name === state.room ? "current" : "");
      button.type = "button";
      button.dataset.room = room.name;
      button.append(el("span", "name", `# ${room.name}`), el("span", "count", String(room.members)));
      button.addEventListener("click", () => {
        if (room.name !== state.room) join(room.name);
      });
      const li = el("li");
      li.append(button);
      return li;
    }),
  );
}

function renderMembers(members) {
  ui.members.replaceChildren(
    ...members.map((m) =>
      el("li", m.id === socket.id ? "self" : "", m.id === socket.id ? `${m.nickname} (you)` : m.nickname),
    ),
  );
}

socket.on("rooms", renderRooms);
socket.on("members", ({ room, members }) => {
  if (room === state.room) renderMembers(members);
});

// ---- messages -----------------------------------------------------------------------------

function clearMessages() {
  for (const url of state.objectUrls) URL.revokeObjectURL(url);
  state.objectUrls = [];
  ui.messages.replaceChildren();
}

function addMessage(message) {
  if (message.room !== state.room) return;
  const item = el("li", message.from === state.nickname ? "msg mine" : "msg");
  item.dataset.id = String(message.id);
  const meta = el("div", "meta");
  meta.append(el("span", "from", message.from), el("time", "", new Date(message.at).toLocaleTimeString()));
  item.append(meta);
  if (message.kind === "text") {
    item.append(el("p", "text", message.text));
  } else if (message.kind === "file") {
    item.append(renderFile(message.file));
  }
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  ui.messages.append(item);
  if (atBottom || message.from === state.nickname) item.scrollIntoView({ block: "end" });
}

function renderFile(file) {
  // `file.data` arrives as binary (an ArrayBuffer), never base64.
  const inline = state.limits.inlineImageTypes.includes(file.type);
  const blob = new Blob([file.data], { type: inline ? file.type : "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  state.objectUrls.push(url);
  const link = el("a", "file");
  link.href = url;
  link.download = file.name;
  if (inline) {
    const img = el("img");
    img.src = url;
    img.alt = file.name;
    img.title = `${file.name} (${formatBytes(file.size)})`;
    img.addEventListener("load", () => {
      if (ui.messages.lastElementChild === link.closest("li")) link.scrollIntoView({ block: "end" });
    });
    link.append(img);
  } else {
    link.append(el("span", "file-badge", "FILE"), el("span", "", `${file.name} (${formatBytes(file.size)})`));
  }
  return link;
}

socket.on("message", addMessage);

// ---- typing indicator ---------------------------------------------------------------------

function renderTypers() {
  const names = [...state.typers.values()].map((t) => t.nickname);
  ui.typing.textContent =
    names.length === 0
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : `${names.length} people are typing…`;
}

function clearTypers() {
  for (const t of state.typers.values()) clearTimeout(t.timer);
  state.typers.clear();
  renderTypers();
}

socket.on("typing", ({ room, id, nickname, typing }) => {
  if (room !== state.room) return;
  const previous = state.typers.get(id);
  if (previous) clearTimeout(previous.timer);
  if (typing) {
    // A lost "stopped typing" must not leave the indicator on forever.
    const timer = setTimeout(() => {
      state.typers.delete(id);
      renderTypers();
    }, 6000);
    state.typers.set(id, { nickname, timer });
  } else {
    state.typers.delete(id);
  }
  renderTypers();
});

function stopTyping() {
  clearTimeout(state.typingTimer);
  if (state.typingSent) socket.volatile.emit("typing", false);
  state.typingSent = false;
}

ui.text.addEventListener("input", () => {
  if (ui.text.value.trim() === "") return stopTyping();
  if (!state.typingSent) {
    socket.volatile.emit("typing", true);
    state.typingSent = true;
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, 2500);
});

// ---- forms ------------------------------------------------------------------------------

ui.nickForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const nickname = ui.nickInput.value.trim();
  if (!nickname) return;
  ui.nickError.hidden = true;
  const reply = await identify(nickname, state.room ?? "general");
  if (!reply.ok) {
    ui.nickError.textContent = reply.error.message;
    ui.nickError.hidden = false;
    return;
  }
  try {
    localStorage.setItem("omnio-chat-nickname", nickname);
  } catch {
    /* storage may be disabled */
  }
  ui.nickDialog.hidden = true;
});

ui.newRoomForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = ui.newRoomInput.value.trim();
  if (!name || state.nickname === undefined) return;
  await join(name);
  if (state.room !== undefined && state.room.toLowerCase() === name.toLowerCase()) ui.newRoomInput.value = "";
});

ui.leave.addEventListener("click", leave);

ui.composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (text.trim() === "") return;
  stopTyping();
  ui.text.value = "";
  const reply = await request("message", text);
  if (!reply.ok) {
    showError(reply.error.message);
    if (ui.text.value === "") ui.text.value = text;
  }
});

ui.fileInput.addEventListener("change", async () => {
  const files = [...ui.fileInput.files];
  ui.fileInput.value = "";
  if (state.room === undefined) return showError("Join a room to share files.");
  for (const file of files) {
    if (file.size > state.limits.maxFileBytes) {
      showError(
        `"${file.name}" is ${formatBytes(file.size)}; files are limited to ${formatBytes(state.limits.maxFileBytes)}.`,
      );
      continue;
    }
    // The File (a Blob) goes as it is: the omnio client reads it and sends it as a binary attachment.
    const reply = await request("file", { name: file.name, type: file.type, data: file });
    if (!reply.ok) showError(reply.error.message);
  }
});

try {
  ui.nickInput.value = localStorage.getItem("omnio-chat-nickname") ?? "";
} catch {
  /* storage may be disabled */
}
ui.nickInput.focus();
renderStatus();

// The chat protocol of examples/chat, over one omnio socket. Framework-free: the page gives it
// a callback and renders what it reports.
//
// client → server (each with an acknowledgement { ok, ... } or { ok: false, error }):
//   hello(nickname), join(room), message(text)
// server → client: message(ChatMessage), members({ room, members }), rooms(RoomSummary[])
const { io } = require("../lib/omnio-wechat.js");

/**
 * @param {{ url: string, nickname: string, room: string, onUpdate: (patch: object) => void }} options
 */
function createChat(options) {
  const socket = io(options.url, {
    // The omnio WeChat entry already prefers WebSocket and falls back to polling (wx.request).
    reconnectionDelayMax: 5000,
  });
  const state = { messages: [], members: [] };
  const update = (patch) => {
    Object.assign(state, patch);
    options.onUpdate(patch);
  };

  socket.onStateChange((status) => update({ status }));
  socket.on("connect", () => {
    // Every (re)connection is a new session on the server: identify and join again.
    socket.emit("hello", options.nickname, (reply) => {
      if (!reply.ok) return update({ error: reply.error.message });
      socket.emit("join", options.room, (joined) => {
        if (!joined.ok) return update({ error: joined.error.message });
        update({
          room: joined.room,
          messages: joined.history.map(toLine),
          members: joined.members.map(nick),
          error: "",
        });
      });
    });
  });
  // Until the rejoin after a reconnection, the page is in no room (a message would be refused).
  socket.on("disconnect", () => update({ room: "" }));
  socket.on("connect_error", (err) => update({ error: err.message }));
  socket.on("message", (message) => {
    if (message.room === state.room) update({ messages: state.messages.concat([toLine(message)]).slice(-100) });
  });
  socket.on("members", (event) => {
    if (event.room === state.room) update({ members: event.members.map(nick) });
  });

  return {
    send(text, done) {
      socket.emit("message", text, (reply) => {
        if (!reply.ok) update({ error: reply.error.message });
        if (done) done(reply.ok);
      });
    },
    close() {
      socket.disconnect();
    },
  };
}

function toLine(message) {
  const body = message.kind === "file" ? "[file] " + message.file.name : message.text;
  return { id: message.id, from: message.from, text: body };
}

function nick(member) {
  return member.nickname;
}

module.exports = { createChat };

// The chat protocol of examples/chat over one omnio socket, framework-free: the page passes
// the Taro object (`import Taro from "@tarojs/taro"`) and a callback, and renders what it reports.
//
// client → server (each answered through its acknowledgement: { ok, ... } or { ok: false, error }):
//   hello(nickname), join(room), message(text)
// server → client: message(ChatMessage), members({ room, members }), rooms(RoomSummary[])
import { createTaroPlatform, io } from "@omnio/client/taro";

/**
 * @param {{ Taro: object, url: string, nickname: string, room: string, onUpdate: (patch: object) => void }} options
 */
export function createChat(options) {
  // On mini-program targets Taro.connectSocket is the host's socket; on Alipay Taro maps it to the
  // one global socket, which the platform handles (base64 binary, no close code).
  const socket = io(options.url, { platform: createTaroPlatform({ api: options.Taro }), reconnectionDelayMax: 5000 });
  const state = { room: "", messages: [] };
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
          members: joined.members.map((m) => m.nickname),
          messages: joined.history.map(toLine),
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
    if (event.room === state.room) update({ members: event.members.map((m) => m.nickname) });
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

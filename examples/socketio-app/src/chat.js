// The `/chat` namespace: rooms, messages, typing indicators, nudges, polls and kicks.
import { request } from "./request.js";

const ROOM_NAME = /^[a-z0-9-]{1,32}$/;

function isRoomName(room) {
  return typeof room === "string" && ROOM_NAME.test(room);
}

function names(sockets) {
  return sockets.map((s) => s.data.user.name).sort();
}

/** Wires the chat handlers on `chat` (`io.of("/chat")`). */
export function registerChat(chat, { nudgeTimeout, pollTimeout }) {
  let lastMessageId = 0;

  chat.on("connection", (socket) => {
    const me = socket.data.user;

    socket.on(
      "whoami",
      request(() => ({ name: me.name, rooms: [...socket.rooms].filter((r) => r !== socket.id).sort() })),
    );

    socket.on(
      "join",
      request(async (room) => {
        if (!isRoomName(room)) return { error: "invalid room name" };
        await socket.join(room);
        socket.to(room).emit("user joined", { room, user: me.name });
        return { room, members: names(await chat.in(room).fetchSockets()) };
      }),
    );

    socket.on(
      "leave",
      request(async (room) => {
        if (!socket.rooms.has(room)) return { error: "not in room" };
        await socket.leave(room);
        socket.to(room).emit("user left", { room, user: me.name, reason: "left" });
        return { room, left: true };
      }),
    );

    socket.on(
      "members",
      request(async (room) => ({ room, members: names(await chat.in(room).fetchSockets()) })),
    );

    socket.on(
      "message",
      request(({ room, text }) => {
        if (!socket.rooms.has(room)) return { error: "not in room" };
        if (typeof text !== "string" || text.length === 0 || text.length > 2000) return { error: "invalid text" };
        const message = { id: ++lastMessageId, room, from: me.name, text, at: Date.now() };
        socket.to(room).emit("message", message);
        return { ok: true, id: message.id };
      }),
    );

    // Not volatile: a dropped "stopped typing" would leave the indicator on for good.
    socket.on("typing", (room, typing) => {
      if (socket.rooms.has(room)) socket.to(room).emit("typing", { room, user: me.name, typing: !!typing });
    });

    // Asks one member of a room for an answer: a server-to-client ack with a timeout.
    socket.on(
      "nudge",
      request(async ({ room, user }) => {
        if (!socket.rooms.has(room)) return { error: "not in room" };
        const [target] = (await chat.in(room).fetchSockets()).filter((s) => s.data.user.name === user);
        if (!target) return { error: "no such user" };
        try {
          return { reply: await target.timeout(nudgeTimeout).emitWithAck("nudge", { room, from: me.name }) };
        } catch (err) {
          return { error: err.message };
        }
      }),
    );

    // Asks everyone else in the room; each answer comes back as a broadcast ack.
    socket.on(
      "poll",
      request(async ({ room, question }) => {
        if (!socket.rooms.has(room)) return { error: "not in room" };
        try {
          const answers = await socket
            .to(room)
            .timeout(pollTimeout)
            .emitWithAck("poll", { room, from: me.name, question });
          return { answers: answers.sort() };
        } catch (err) {
          return { error: err.message };
        }
      }),
    );

    socket.on(
      "kick",
      request(async ({ room, user }) => {
        if (!me.admin) return { error: "forbidden" };
        const targets = (await chat.in(room).fetchSockets()).filter((s) => s.data.user.name === user);
        for (const target of targets) target.disconnect();
        return { kicked: targets.length };
      }),
    );

    // Rooms are still there during "disconnecting" (they are gone by "disconnect").
    socket.on("disconnecting", (reason) => {
      for (const room of socket.rooms) {
        if (room !== socket.id) socket.to(room).emit("user left", { room, user: me.name, reason });
      }
    });
  });
}

/**
 * The chat protocol on an omnio `Server`. Every client→server event takes an acknowledgement
 * and gets a {@link Reply}: `{ ok: true, … }` or `{ ok: false, error: { code, message } }`.
 *
 * client → server: `hello(nickname)`, `join(room)`, `leave()`, `message(text)`,
 * `file({ name, type, data })` (data binary), `typing(boolean)` (no ack).
 * server → client: `rooms(RoomSummary[])`, `members({ room, members })`, `message(ChatMessage)`
 * (a file's bytes travel as a binary attachment), `typing({ room, id, nickname, typing })`.
 */
import type { Server, Socket } from "@omnio/server";
import { refuse, type Reply } from "./errors.js";
import type { ChatLimits } from "./limits.js";
import { TokenBucket } from "./rate-limit.js";
import { Rooms } from "./rooms.js";
import { INLINE_IMAGE_TYPES, checkFile, checkNickname, checkRoom, checkText } from "./validate.js";

type Ack = (reply: Reply<Record<string, unknown>>) => void;

interface Session {
  nickname: string | undefined;
  room: string | undefined;
  messages: TokenBucket;
  files: TokenBucket;
  typing: TokenBucket;
}

function ackOf(value: unknown): Ack {
  return typeof value === "function" ? (value as Ack) : () => {};
}

export function attachChat(io: Server, limits: ChatLimits): Rooms {
  const rooms = new Rooms(limits);
  const publishRooms = (): void => {
    io.emit("rooms", rooms.summaries());
  };
  const publishMembers = (room: string): void => {
    io.to(room).emit("members", { room, members: rooms.members(room) });
  };

  io.on("connection", (socket: Socket) => {
    const session: Session = {
      nickname: undefined,
      room: undefined,
      messages: new TokenBucket(limits.messageBurst, limits.messageRefillMs),
      files: new TokenBucket(limits.fileBurst, limits.fileRefillMs),
      typing: new TokenBucket(20, 250),
    };
    socket.emit("rooms", rooms.summaries());

    const leaveCurrent = (): void => {
      const room = session.room;
      if (room === undefined) return;
      session.room = undefined;
      void socket.leave(room);
      rooms.leave(room, socket.id);
      if (session.nickname !== undefined) {
        socket.to(room).emit("typing", { room, id: socket.id, nickname: session.nickname, typing: false });
      }
      publishMembers(room);
    };

    socket.on("hello", (raw: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      const nickname = checkNickname(raw, limits);
      if (!nickname.ok) return reply(nickname);
      session.nickname = nickname.value;
      if (session.room !== undefined) {
        rooms.rename(session.room, { id: socket.id, nickname: nickname.value });
        publishMembers(session.room);
      }
      reply({
        ok: true,
        nickname: nickname.value,
        rooms: rooms.summaries(),
        limits: {
          maxFileBytes: limits.maxFileBytes,
          maxMessageLength: limits.maxMessageLength,
          inlineImageTypes: [...INLINE_IMAGE_TYPES],
        },
      });
    });

    socket.on("join", (raw: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      if (session.nickname === undefined) return reply(refuse("NOT_IDENTIFIED", "Choose a nickname first."));
      const name = checkRoom(raw, limits);
      if (!name.ok) return reply(name);
      leaveCurrent();
      const room = rooms.join(name.value, { id: socket.id, nickname: session.nickname });
      if (room === undefined) {
        publishRooms();
        return reply(refuse("TOO_MANY_ROOMS", `There are already ${limits.maxRooms} rooms; join one of them.`));
      }
      session.room = room.name;
      void socket.join(room.name);
      publishMembers(room.name);
      publishRooms();
      reply({ ok: true, room: room.name, members: rooms.members(room.name), history: rooms.history(room.name) });
    });

    socket.on("leave", (ack: unknown) => {
      const reply = ackOf(ack);
      if (session.room === undefined) return reply(refuse("NOT_IN_ROOM", "You are not in a room."));
      leaveCurrent();
      publishRooms();
      reply({ ok: true });
    });

    socket.on("message", (raw: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      const room = session.room;
      if (session.nickname === undefined || room === undefined) {
        return reply(refuse("NOT_IN_ROOM", "Join a room to send messages."));
      }
      if (!session.messages.take()) return reply(refuse("RATE_LIMITED", "Slow down: too many messages."));
      const text = checkText(raw, limits);
      if (!text.ok) return reply(text);
      const message = rooms.record({ room, kind: "text", from: session.nickname, text: text.value }, Date.now());
      io.to(room).emit("message", message);
      reply({ ok: true, id: message.id });
    });

    socket.on("file", (raw: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      const room = session.room;
      if (session.nickname === undefined || room === undefined) {
        return reply(refuse("NOT_IN_ROOM", "Join a room to share files."));
      }
      const file = checkFile(raw, limits);
      if (!file.ok) return reply(file);
      if (!session.files.take()) return reply(refuse("RATE_LIMITED", "Slow down: too many files."));
      const message = rooms.record({ room, kind: "file", from: session.nickname, file: file.value }, Date.now());
      io.to(room).emit("message", message);
      reply({ ok: true, id: message.id });
    });

    socket.on("typing", (raw: unknown) => {
      const room = session.room;
      if (session.nickname === undefined || room === undefined || !session.typing.take()) return;
      socket.to(room).emit("typing", { room, id: socket.id, nickname: session.nickname, typing: raw === true });
    });

    socket.on("disconnect", () => {
      const hadRoom = session.room !== undefined;
      leaveCurrent();
      if (hadRoom) publishRooms();
    });
  });
  return rooms;
}

/** The rooms that exist, who is in them, and each one's bounded history. */
import { DEFAULT_ROOM, type ChatLimits } from "./limits.js";
import type { SharedFile } from "./validate.js";

/** One entry of a room's conversation, as clients receive it. */
export interface ChatMessage {
  id: number;
  room: string;
  kind: "text" | "file";
  from: string;
  at: number;
  text?: string;
  file?: SharedFile;
}

export interface Member {
  id: string;
  nickname: string;
}

export interface RoomSummary {
  name: string;
  members: number;
}

class Room {
  readonly members = new Map<string, string>();
  readonly history: ChatMessage[] = [];
  fileBytes = 0;
  constructor(readonly name: string) {}
}

export class Rooms {
  readonly #rooms = new Map<string, Room>();
  #nextId = 1;

  constructor(readonly limits: ChatLimits) {
    this.#rooms.set(DEFAULT_ROOM, new Room(DEFAULT_ROOM));
  }

  /** Room names compare without case: "Games" and "games" are one room. */
  #find(name: string): Room | undefined {
    const exact = this.#rooms.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const room of this.#rooms.values()) if (room.name.toLowerCase() === lower) return room;
    return undefined;
  }

  /** Adds a member, creating the room if needed; `undefined` when no more rooms may be created. */
  join(name: string, member: Member): Room | undefined {
    let room = this.#find(name);
    if (room === undefined) {
      if (this.#rooms.size >= this.limits.maxRooms) return undefined;
      room = new Room(name);
      this.#rooms.set(name, room);
    }
    room.members.set(member.id, member.nickname);
    return room;
  }

  /** Removes a member; an empty room other than the default one is removed with its history. */
  leave(name: string, memberId: string): void {
    const room = this.#rooms.get(name);
    if (room === undefined) return;
    room.members.delete(memberId);
    if (room.members.size === 0 && room.name !== DEFAULT_ROOM) this.#rooms.delete(name);
  }

  rename(name: string, member: Member): void {
    this.#rooms.get(name)?.members.set(member.id, member.nickname);
  }

  members(name: string): Member[] {
    const room = this.#rooms.get(name);
    if (room === undefined) return [];
    return [...room.members].map(([id, nickname]) => ({ id, nickname }));
  }

  history(name: string): ChatMessage[] {
    return [...(this.#rooms.get(name)?.history ?? [])];
  }

  summaries(): RoomSummary[] {
    return [...this.#rooms.values()]
      .map((room) => ({ name: room.name, members: room.members.size }))
      .sort((a, b) => (a.name === DEFAULT_ROOM ? -1 : b.name === DEFAULT_ROOM ? 1 : a.name.localeCompare(b.name)));
  }

  /** Records a message in the room's history, dropping the oldest entries past the limits. */
  record(message: Omit<ChatMessage, "id" | "at">, now: number): ChatMessage {
    const entry: ChatMessage = { ...message, id: this.#nextId++, at: now };
    const room = this.#rooms.get(message.room);
    if (room === undefined) return entry;
    room.history.push(entry);
    room.fileBytes += entry.file?.size ?? 0;
    while (room.history.length > this.limits.historySize) {
      room.fileBytes -= room.history.shift()!.file?.size ?? 0;
    }
    // Over the byte budget: the oldest files leave first, text stays.
    while (room.fileBytes > this.limits.historyFileBytes) {
      const index = room.history.findIndex((m) => m.file !== undefined);
      room.fileBytes -= room.history.splice(index, 1)[0]!.file!.size;
    }
    return entry;
  }
}

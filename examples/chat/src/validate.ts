/**
 * Input checks for everything a client sends. Values arrive from the network, so every function
 * takes `unknown` and returns either the clean value or a refusal.
 */
import { refuse, type ChatError } from "./errors.js";
import type { ChatLimits } from "./limits.js";

type Checked<T> = { ok: true; value: T } | { ok: false; error: ChatError };

/** Control characters (C0, DEL, C1) and the bidi overrides that can disguise text. */

const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** Room names: letters, digits, spaces, `-` and `_`. */
const ROOM_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;
/** Image types the page shows inline; anything else is offered as a download. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
]);
const MIME = /^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/i;

function length(text: string): number {
  return [...text].length;
}

export function checkNickname(raw: unknown, limits: ChatLimits): Checked<string> {
  const max = limits.maxNicknameLength;
  const text = typeof raw === "string" ? raw.trim() : undefined;
  if (text === undefined || text === "" || length(text) > max || UNSAFE_CHARS.test(text)) {
    return refuse("INVALID_NICKNAME", `A nickname is 1 to ${max} characters, without control characters.`);
  }
  return { ok: true, value: text };
}

export function checkRoom(raw: unknown, limits: ChatLimits): Checked<string> {
  const max = limits.maxRoomNameLength;
  const text = typeof raw === "string" ? raw.trim().replace(/\s+/g, " ") : undefined;
  if (text === undefined || length(text) > max || !ROOM_NAME.test(text)) {
    return refuse(
      "INVALID_ROOM",
      `A room name is 1 to ${max} letters, digits, spaces, "-" or "_", starting with a letter or digit.`,
    );
  }
  return { ok: true, value: text };
}

export function checkText(raw: unknown, limits: ChatLimits): Checked<string> {
  const max = limits.maxMessageLength;
  const text = typeof raw === "string" ? raw.trim() : undefined;
  if (text === undefined || text === "") return refuse("INVALID_MESSAGE", "A message cannot be empty.");
  if (length(text) > max) return refuse("INVALID_MESSAGE", `A message is at most ${max} characters.`);
  // Keep newlines and tabs (the page shows them); drop other control characters.

  return { ok: true, value: text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "") };
}

/** A shared file as the server keeps and forwards it. */
export interface SharedFile {
  name: string;
  type: string;
  size: number;
  /** The bytes, sent on as a binary attachment (never base64). */
  data: Uint8Array;
}

function bytesOf(raw: unknown): Uint8Array | undefined {
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return undefined;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`;
}

export function checkFile(raw: unknown, limits: ChatLimits): Checked<SharedFile> {
  const file = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const data = bytesOf(file["data"]);
  if (data === undefined)
    return refuse("INVALID_FILE", "A file is sent as binary data (ArrayBuffer, Blob or typed array).");
  if (data.byteLength === 0) return refuse("INVALID_FILE", "The file is empty.");
  if (data.byteLength > limits.maxFileBytes) {
    return refuse("FILE_TOO_LARGE", `Files are limited to ${formatBytes(limits.maxFileBytes)}.`);
  }
  const rawName = typeof file["name"] === "string" ? file["name"] : "";
  // Only the last path segment, no control characters, at most 120 characters.
  const name = [...(rawName.split(/[\\/]/).pop() ?? "").replace(UNSAFE_CHARS, "").trim()].slice(0, 120).join("");
  if (name === "") return refuse("INVALID_FILE", "A file needs a name.");
  const rawType = typeof file["type"] === "string" ? file["type"].toLowerCase() : "";
  const type = MIME.test(rawType) && rawType.length <= 100 ? rawType : "application/octet-stream";
  return { ok: true, value: { name, type, size: data.byteLength, data } };
}

export { formatBytes };

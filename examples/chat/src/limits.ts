/** The chat's limits, each on by default and overridable through `start()`. */
export interface ChatLimits {
  /** Longest nickname, in characters. @default 24 */
  maxNicknameLength: number;
  /** Longest room name, in characters. @default 32 */
  maxRoomNameLength: number;
  /** Longest text message, in characters. @default 1000 */
  maxMessageLength: number;
  /** Largest shared file, in bytes (checked by the server; the page checks it first too). @default 2 MiB */
  maxFileBytes: number;
  /** Messages (text and files) kept per room for people who join later. @default 50 */
  historySize: number;
  /** Bytes of files kept in one room's history; older files leave it first. @default 8 MiB */
  historyFileBytes: number;
  /** Rooms that may exist at once (empty rooms other than the default one are removed). @default 50 */
  maxRooms: number;
  /** Messages a client may send in a burst, then one per `messageRefillMs`. @default 10 */
  messageBurst: number;
  /** @default 500 */
  messageRefillMs: number;
  /** Files a client may send in a burst, then one per `fileRefillMs`. @default 3 */
  fileBurst: number;
  /** @default 5000 */
  fileRefillMs: number;
}

export const DEFAULT_LIMITS: Readonly<ChatLimits> = Object.freeze({
  maxNicknameLength: 24,
  maxRoomNameLength: 32,
  maxMessageLength: 1000,
  maxFileBytes: 2 * 1024 * 1024,
  historySize: 50,
  historyFileBytes: 8 * 1024 * 1024,
  maxRooms: 50,
  messageBurst: 10,
  messageRefillMs: 500,
  fileBurst: 3,
  fileRefillMs: 5000,
});

/** The room everybody can join; it is never removed. */
export const DEFAULT_ROOM = "general";

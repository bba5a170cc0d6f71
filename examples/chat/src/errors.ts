/** What the server answers when it refuses something: a stable `code` and a sentence for people. */
export type ChatErrorCode =
  | "INVALID_NICKNAME"
  | "INVALID_ROOM"
  | "INVALID_MESSAGE"
  | "INVALID_FILE"
  | "FILE_TOO_LARGE"
  | "NOT_IDENTIFIED"
  | "NOT_IN_ROOM"
  | "TOO_MANY_ROOMS"
  | "RATE_LIMITED";

export interface ChatError {
  code: ChatErrorCode;
  message: string;
}

/** Every acknowledgement has this shape. */
export type Reply<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ChatError };

export function refuse(code: ChatErrorCode, message: string): { ok: false; error: ChatError } {
  return { ok: false, error: { code, message } };
}

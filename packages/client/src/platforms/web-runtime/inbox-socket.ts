/**
 * A standard-shaped `WebSocket` (Bun, Deno, React Native) wired to the platform handlers through
 * a {@link BinaryInbox}: `binaryType` is set to `"arraybuffer"`, binary that still arrives as a
 * view or a Blob is normalised in arrival order, and the core hears exactly one terminal report
 * (RN dispatches `error` then `close` for one failure).
 */
import type { PlatformSocket, SocketHandlers } from "../../platform/contract.js";
import { BinaryInbox, type FileReaderLike } from "./binary-inbox.js";

/** The WebSocket members this wiring uses; `E` is the runtime's error event. */
export interface InboxWebSocket<E> {
  binaryType: string | undefined;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: unknown; reason?: unknown }) => void) | null;
  onerror: ((event: E) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

/** Wires an opened `ws`; `toError` turns the runtime's error event into what `onError` reports. */
export function wireInboxSocket<E>(
  ws: InboxWebSocket<E>,
  handlers: SocketHandlers,
  FileReader: (new () => FileReaderLike) | undefined,
  toError: (event: E) => unknown,
): PlatformSocket {
  ws.binaryType = "arraybuffer";
  let done = false;
  const terminal = (report: () => void): void => {
    if (done) return;
    done = true;
    inbox.close();
    report();
  };
  const inbox = new BinaryInbox(
    {
      onMessage: (data) => {
        if (!done) handlers.onMessage(data);
      },
      onError: (error) => {
        terminal(() => handlers.onError(error));
        ws.close();
      },
    },
    FileReader,
  );
  ws.onopen = () => {
    if (!done) handlers.onOpen();
  };
  ws.onmessage = (event) => inbox.receive(event.data);
  ws.onerror = (event) => terminal(() => handlers.onError(toError(event)));
  ws.onclose = (event) =>
    terminal(() =>
      handlers.onClose(
        typeof event.code === "number" ? event.code : 1006,
        typeof event.reason === "string" ? event.reason : "",
      ),
    );
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      done = true;
      inbox.close();
      ws.close(code, reason);
    },
  };
}

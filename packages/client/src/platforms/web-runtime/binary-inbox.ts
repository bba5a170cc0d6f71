/**
 * Ordered delivery of WebSocket messages whose binary may arrive as a `Blob`.
 *
 * A host that ignores `binaryType = "arraybuffer"` (some React Native versions; Deno and Bun
 * before the property is set) hands binary frames over as a `Blob`, which can only be read
 * asynchronously. Frames must still reach the engine in the order they arrived (an attachment
 * must follow its placeholder packet), so while a Blob is being read, later frames wait behind
 * it. Strings, `ArrayBuffer`s and views (Bun's `nodebuffer`) are delivered at once when nothing
 * is waiting. Only an adapter helper: the core always receives `string | ArrayBuffer`.
 */
import { standardToArrayBuffer } from "../../platform/binary.js";

/** The part of a `Blob` this helper uses (`arrayBuffer()` is missing on React Native). */
interface BlobLike {
  size: number;
  slice(...args: unknown[]): unknown;
  arrayBuffer?: () => Promise<ArrayBuffer>;
}

/** The part of `FileReader` used to read a Blob where `blob.arrayBuffer()` is missing. */
export interface FileReaderLike {
  result: unknown;
  /** Set when a read failed (absent on some hosts). */
  error?: unknown;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  readAsArrayBuffer(blob: unknown): void;
}

/** Where the inbox delivers; `onError` ends the connection (the adapter reports it once). */
export interface InboxSink {
  onMessage(data: string | ArrayBuffer): void;
  onError(error: Error): void;
}

type Entry = { ready: true; data: string | ArrayBuffer } | { ready: false };

function isBlob(data: unknown): data is BlobLike {
  if (typeof data !== "object" || data === null) return false;
  const blob = data as Partial<BlobLike>;
  return typeof blob.size === "number" && typeof blob.slice === "function";
}

/**
 * Reads a Blob into an exact `ArrayBuffer` with `blob.arrayBuffer()` when the host has it, else
 * with `FileReader.readAsArrayBuffer` (React Native ≥ 0.73.1); `failed` when neither works.
 */
export function readBlobLike(
  blob: unknown,
  FileReader: (new () => FileReaderLike) | undefined,
  done: (buffer: ArrayBuffer) => void,
  failed: (cause: unknown) => void,
): void {
  const b = blob as Partial<BlobLike>;
  if (typeof b.arrayBuffer === "function") {
    b.arrayBuffer().then(done, failed);
    return;
  }
  if (FileReader === undefined) {
    failed(new TypeError("This host has neither Blob.arrayBuffer() nor FileReader.readAsArrayBuffer()."));
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    const buffer = standardToArrayBuffer(reader.result);
    if (buffer === undefined) failed(new TypeError("FileReader gave no ArrayBuffer."));
    else done(buffer);
  };
  reader.onerror = () => failed(reader.error ?? new Error("FileReader failed to read the Blob."));
  reader.readAsArrayBuffer(blob);
}

/** One inbox per connection. */
export class BinaryInbox {
  readonly #sink: InboxSink;
  readonly #FileReader: (new () => FileReaderLike) | undefined;
  readonly #queue: Entry[] = [];
  #closed = false;

  constructor(sink: InboxSink, FileReader?: new () => FileReaderLike) {
    this.#sink = sink;
    this.#FileReader = FileReader;
  }

  /** Accepts one message event's `data`; anything that is neither text nor binary is an error. */
  receive(data: unknown): void {
    if (this.#closed) return;
    if (typeof data === "string") return this.#push({ ready: true, data });
    const buffer = standardToArrayBuffer(data);
    if (buffer !== undefined) return this.#push({ ready: true, data: buffer });
    if (isBlob(data)) return this.#readBlob(data);
    this.#fail(new TypeError(`The host delivered a WebSocket message of an unknown type (${typeof data}).`));
  }

  /** Drops waiting messages and ignores reads still in progress. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #push(entry: Entry): void {
    if (this.#queue.length === 0 && entry.ready) return this.#sink.onMessage(entry.data);
    this.#queue.push(entry);
  }

  #readBlob(blob: BlobLike): void {
    const entry: { ready: boolean; data?: ArrayBuffer } = { ready: false };
    this.#queue.push(entry as Entry);
    const done = (buffer: ArrayBuffer): void => {
      if (this.#closed) return;
      entry.ready = true;
      entry.data = buffer;
      this.#drain();
    };
    const failed = (cause: unknown): void => {
      if (!this.#closed) this.#fail(new Error("Could not read a binary WebSocket message (Blob).", { cause }));
    };
    readBlobLike(blob, this.#FileReader, done, failed);
  }

  #drain(): void {
    while (!this.#closed && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (!head.ready) return;
      this.#queue.shift();
      this.#sink.onMessage(head.data);
    }
  }

  #fail(error: Error): void {
    this.close();
    this.#sink.onError(error);
  }
}

/**
 * React Native's `Blob` and `FileReader`, as far as WebSocket binary goes. RN's Blob is a handle
 * to bytes held natively (`data: { blobId, offset, size }`), with `size`, `type`, `slice()` and
 * `close()` but no `arrayBuffer()`; `FileReader.readAsArrayBuffer` exists from RN 0.73.1 and
 * completes asynchronously (a bridge round trip). `readDelay` lets a test make reads finish out
 * of order.
 */
let nextBlobId = 1;

export class RNBlob {
  readonly data: { blobId: string; offset: number; size: number };
  readonly type = "";
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.data = { blobId: `blob-${nextBlobId++}`, offset: 0, size: bytes.byteLength };
  }

  get size(): number {
    return this.#bytes.byteLength;
  }

  slice(start = 0, end = this.size): RNBlob {
    return new RNBlob(this.#bytes.slice(start, end));
  }

  close(): void {}

  /** Host-side access for the simulated FileReader (not part of RN's API). */
  static bytesOf(blob: RNBlob): Uint8Array {
    return blob.#bytes;
  }
}

/** A FileReader with RN 0.73.1's `readAsArrayBuffer`; each read completes after `readDelay()` ms. */
export function createRNFileReader(readDelay: () => number): new () => {
  result: unknown;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  readAsArrayBuffer(blob: unknown): void;
} {
  return class RNFileReader {
    result: unknown = null;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;

    readAsArrayBuffer(blob: unknown): void {
      setTimeout(() => {
        if (!(blob instanceof RNBlob)) {
          this.result = new Error("readAsArrayBuffer: not a Blob");
          this.onerror?.();
          return;
        }
        const bytes = RNBlob.bytesOf(blob);
        this.result = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        this.onload?.();
      }, readDelay());
    }
  };
}

/**
 * One Socket.IO v5 connection over Engine.IO v4 WebSocket, spoken directly on a `ws` client
 * (no socket.io-client) so that the load generator stays cheap (reference §2.1, §2.3).
 *
 * Frames are classified by their first bytes; only the ack id or the tick timestamp is parsed,
 * never the whole JSON payload.
 */
import WebSocket, { type RawData } from "ws";

/** Receives the frames the workloads care about. */
export interface FrameSink {
  /** `43<id>[...]` arrived on `client`. */
  ack(client: BenchClient, id: number): void;
  /** `42["tick",t,...]` arrived; `t` is the timestamp the load generator put in the trigger. */
  tick(client: BenchClient, t: number): void;
}

/** Discards everything; the sink of a client no workload is using. */
export const IGNORE_FRAMES: FrameSink = Object.freeze({ ack() {}, tick() {} });

const CHAR_0 = 0x30;
const CHAR_2 = 0x32;
const CHAR_3 = 0x33;
const CHAR_4 = 0x34;
const CHAR_OPEN_BRACKET = 0x5b;
/** `42["tick",` — a broadcast tick; the timestamp follows. */
const TICK_PREFIX = '42["tick",';
const PONG = "3";

export type ClientState = "opening" | "handshaken" | "connected" | "closed";

export class BenchClient {
  readonly ws: WebSocket;
  state: ClientState = "opening";
  /** Where acks and ticks go; set by the running workload. */
  sink: FrameSink = IGNORE_FRAMES;
  /** Next ack id this client will use; the workload owns it. */
  nextAckId = 0;
  /** When the outstanding echo was sent (`performance.now()`), for the echo workload. */
  sentAt = 0;
  readonly #settle: (error?: Error) => void;

  /**
   * Opens the WebSocket; `settle` is called once: without an argument when the `/` namespace
   * connect is acknowledged, with an error if anything fails first.
   */
  constructor(url: string, settle: (error?: Error) => void) {
    let settled = false;
    this.#settle = (error) => {
      if (settled) return;
      settled = true;
      settle(error);
    };
    this.ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.ws.on("message", (data, isBinary) => this.#receive(data, isBinary));
    this.ws.on("error", (error) => this.#settle(error));
    this.ws.on("close", () => {
      this.state = "closed";
      this.#settle(new Error("closed before the namespace connect completed"));
    });
  }

  /** Sends a Socket.IO packet already encoded as text (Engine.IO `4` prefix included). */
  send(frame: string): void {
    this.ws.send(frame);
  }

  #receive(data: RawData, isBinary: boolean): void {
    if (isBinary || !Buffer.isBuffer(data) || data.length === 0) return;
    const type = data[0];
    if (type === CHAR_4) {
      const sioType = data[1];
      if (sioType === CHAR_2) {
        if (data.length > TICK_PREFIX.length && data.toString("latin1", 0, TICK_PREFIX.length) === TICK_PREFIX) {
          // parseFloat stops at the `,` or `]` after the number.
          this.sink.tick(this, Number.parseFloat(data.toString("latin1", TICK_PREFIX.length, TICK_PREFIX.length + 32)));
        }
      } else if (sioType === CHAR_3) {
        let id = 0;
        for (let i = 2; i < data.length; i++) {
          const c = data[i] as number;
          if (c === CHAR_OPEN_BRACKET) break;
          id = id * 10 + (c - CHAR_0);
        }
        this.sink.ack(this, id);
      } else if (sioType === CHAR_0 && this.state === "handshaken") {
        this.state = "connected";
        this.#settle();
      } else if (sioType === CHAR_4) {
        this.#settle(new Error(`connect refused: ${data.toString()}`));
        this.ws.terminate();
      }
    } else if (type === CHAR_2) {
      this.ws.send(PONG);
    } else if (type === CHAR_0 && this.state === "opening") {
      this.state = "handshaken";
      this.ws.send("40");
    }
  }
}

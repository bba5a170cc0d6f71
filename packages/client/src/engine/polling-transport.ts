/**
 * HTTP long-polling transport (Engine.IO v4 spec "Polling"; miniprogram-platforms §2.7): one GET
 * held open to receive, one short POST at a time to send, payloads joined by `\x1e`, binary as
 * `b<base64>`. POSTs are `text/plain;charset=UTF-8` (engine.io rejects octet-stream on EIO4).
 */
import { decodePayload, encodePayload, utf8Length } from "@omnio/protocol";
import type { HttpTask } from "../platform/contract.js";
import { Transport, type OutgoingPacket } from "./transport.js";

/** Request timeout before the handshake when `requestTimeout` is 0 (ms). */
const HANDSHAKE_REQUEST_TIMEOUT_MS = 20_000;
/** Margin added to `pingInterval + pingTimeout` for a held GET (miniprogram-platforms §2.7 rule 4). */
const POLL_TIMEOUT_MARGIN_MS = 5_000;

/**
 * The long-polling transport. Like every transport it relies on the engine ignoring its reports
 * once it is dropped; its own `closed` phase only stops it from polling again (a late answer of
 * an aborted request, on hosts whose abort does not really cancel, e.g. uni-app:
 * miniprogram-platforms §2.7 rule 8) and from closing twice.
 */
export class PollingTransport extends Transport {
  /** `pausing` and `paused` are the upgrade's (spec "Upgrade"). */
  #phase: "opening" | "open" | "pausing" | "paused" | "closed" = "opening";
  #get: HttpTask | undefined;
  #post: HttpTask | undefined;
  #seq = 0;
  #onPaused: (() => void) | undefined;

  /** Open, and no POST in flight (while pausing the engine writes nothing anyway). */
  get writable(): boolean {
    return this.#phase === "open" && this.#post === undefined;
  }

  open(): void {
    this.#poll();
  }

  /** Writes the front of `buffer` in one POST within the server's `maxPayload` (at least one packet). */
  send(buffer: OutgoingPacket[]): void {
    let i = 0;
    for (let size = 0; i < buffer.length; i++) {
      const data = buffer[i]!.data;
      size += (typeof data === "string" ? utf8Length(data) : data ? Math.ceil(data.length / 3) * 4 : 0) + 2;
      if (i > 0 && size > this.session!.maxPayload) break;
    }
    this.#post = this.#request(encodePayload(buffer.splice(0, i)), () => {
      this.#post = undefined;
      this.#checkPaused();
      this.report(this, "drain");
    });
  }

  /** Stops receiving once the in-flight requests end, then calls `onPaused` (spec "Upgrade"). */
  pause(onPaused: () => void): void {
    this.#phase = "pausing";
    this.#onPaused = onPaused;
    this.#checkPaused();
  }

  /** Undoes `pause` after a failed upgrade. */
  resume(): void {
    if (this.#closed()) return;
    this.#phase = "open";
    if (this.#get === undefined) this.#poll();
  }

  close(graceful?: boolean): void {
    const phase = this.#phase;
    if (phase === "closed") return;
    this.#phase = "closed";
    const get = this.#get;
    if (graceful && phase !== "opening") {
      // Tell the server (spec "Close"): it answers the held GET with `6`, so the GET is
      // released once the close POST is answered rather than aborted (an aborted GET is a
      // transport error on the server, a worse disconnect reason there).
      const release = (): void => get?.abort();
      this.#request("1", release, release);
    } else {
      get?.abort();
    }
  }

  #poll(): void {
    this.#get = this.#request(undefined, (body) => {
      if (this.#closed()) return;
      this.#get = undefined;
      let packets;
      try {
        packets = decodePayload(body);
      } catch (cause) {
        this.#phase = "closed";
        return this.fail("PARSE_ERROR", undefined, cause);
      }
      for (const packet of packets) {
        if (this.#phase === "opening" && packet.type === "open") this.#phase = "open";
        this.report(this, "packet", packet);
        // The engine may have closed or replaced us while handling the packet.
        if (this.#closed()) return;
      }
      if (this.#phase === "open") this.#poll();
      else this.#checkPaused();
    });
  }

  /** Re-reads the phase (reports may close us; a method call defeats narrowing). */
  #closed(): boolean {
    return this.#phase === "closed";
  }

  #checkPaused(): void {
    if (this.#phase === "pausing" && this.#get === undefined && this.#post === undefined) {
      this.#phase = "paused";
      this.#onPaused!();
    }
  }

  /** One GET (no `body`) or POST: a 200 goes to `done`, anything else to `failed` (by default, failing the transport). */
  #request(
    body: string | undefined,
    done: (body: string) => void,
    failed = (description: unknown): void => {
      // Closing aborts the held GET when a POST failed: it would otherwise hold one of the
      // browser's few connections per host until its timeout.
      this.close();
      this.fail("POLLING_ERROR", description);
    },
  ): HttpTask {
    const o = this.opts;
    const h = this.session;
    return o.platform.request!(
      {
        method: body === undefined ? "GET" : "POST",
        url: this.buildUrl(this.#seq++),
        headers:
          body === undefined
            ? this.requestHeaders
            : { ...this.requestHeaders, "content-type": "text/plain;charset=UTF-8" },
        body,
        // 0 derives it: a held GET never times out before the heartbeat does.
        timeout:
          o.requestTimeout ||
          (h === undefined ? HANDSHAKE_REQUEST_TIMEOUT_MS : h.pingInterval + h.pingTimeout + POLL_TIMEOUT_MARGIN_MS),
        withCredentials: o.withCredentials,
      },
      {
        onResponse: (res) => (res.status === 200 ? done(res.body) : failed({ status: res.status, body: res.body })),
        onError: failed,
      },
    );
  }
}

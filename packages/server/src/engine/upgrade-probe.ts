/**
 * Owner of a WebSocket while it probes an upgrade of a polling session (protocol v4
 * "Upgrade"): `2probe` → `3probe`, then `5` switches the session over. Anything else, an
 * error, a close or `upgradeTimeout` aborts the upgrade and keeps the polling session.
 */
import type { EnginePacket } from "@omnio/protocol";
import type { TransportOwner } from "./transport.js";
import type { WebSocketTransport } from "./transport-websocket.js";

/** What the probe needs from its session. */
export interface ProbeSession {
  onProbeStarted(ws: WebSocketTransport): void;
  onProbeUpgrade(ws: WebSocketTransport): void;
  onProbeFailed(ws: WebSocketTransport): void;
}

export class UpgradeProbe implements TransportOwner {
  constructor(
    readonly ws: WebSocketTransport,
    private readonly session: ProbeSession,
  ) {
    ws.owner = this;
  }
  onTransportPacket(packet: EnginePacket): void {
    if (packet.type === "ping" && packet.data === "probe") {
      this.ws.send([{ type: "pong", data: "probe" }]);
      this.session.onProbeStarted(this.ws);
    } else if (packet.type === "upgrade") this.session.onProbeUpgrade(this.ws);
    else this.session.onProbeFailed(this.ws);
  }
  onTransportError(): void {
    this.session.onProbeFailed(this.ws);
  }
  onTransportClose(): void {
    this.session.onProbeFailed(this.ws);
  }
  onTransportDrain(): void {}
}

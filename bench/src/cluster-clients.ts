/**
 * The cluster benchmark's clients: minimal Engine.IO v4 / Socket.IO v5 clients over `ws` (as the
 * main bench's load generator) that join one room and count the `m` broadcasts they receive.
 */
import WebSocket from "ws";

export class RoomClient {
  received = 0;
  readonly #ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  /** Connects to `port`, joins `room` (waits for the ack). */
  static open(port: number, room: string): Promise<RoomClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const client = new RoomClient(ws);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client of ${port} did not join ${room}`)), 10_000);
      ws.on("error", reject);
      ws.on("message", (raw: Buffer) => {
        const frame = raw.toString();
        if (frame.startsWith('42["m"')) client.received++;
        else if (frame === "2") ws.send("3");
        else if (frame.startsWith("0{")) ws.send("40");
        else if (frame.startsWith("40")) ws.send(`421${JSON.stringify(["join", room])}`);
        else if (frame.startsWith("431")) {
          clearTimeout(timer);
          resolve(client);
        }
      });
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}

/** Closed-loop acked echo: every client keeps exactly one `echo` in flight until the deadline. */
import { IGNORE_FRAMES, type BenchClient, type FrameSink } from "./bench-client.js";
import type { ClientPool } from "./client-pool.js";
import { LatencyRecorder } from "../latency-recorder.js";
import type { EchoCommand, EchoResult } from "../messages.js";

/** How long past the deadline to wait for the last acks before giving up on them. */
const STRAGGLER_WAIT_MS = 10_000;

class EchoWorkload implements FrameSink {
  readonly latency = new LatencyRecorder();
  acks = 0;
  #finished = 0;
  readonly #suffix: string;
  readonly #deadline: number;
  readonly #clients: number;
  readonly #done: () => void;

  constructor(clients: number, payloadBytes: number, deadline: number, done: () => void) {
    this.#clients = clients;
    this.#suffix = JSON.stringify(["echo", "x".repeat(payloadBytes)]);
    this.#deadline = deadline;
    this.#done = done;
  }

  /** `42<id>["echo","xx…"]` */
  sendNext(client: BenchClient): void {
    const id = client.nextAckId++;
    client.sentAt = performance.now();
    client.send(`42${id}${this.#suffix}`);
  }

  ack(client: BenchClient, id: number): void {
    if (id !== client.nextAckId - 1) return;
    const now = performance.now();
    this.latency.record(now - client.sentAt);
    this.acks++;
    if (now < this.#deadline) {
      this.sendNext(client);
    } else if (++this.#finished === this.#clients) {
      this.#done();
    }
  }

  tick(): void {}
}

export async function runEcho(pool: ClientPool, command: EchoCommand): Promise<Omit<EchoResult, "cpuUs">> {
  const clients = pool.group("default").slice(0, command.clients);
  if (clients.length === 0) throw new Error("echo: no connected clients");
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let workload: EchoWorkload | undefined;
  await new Promise<void>((resolve) => {
    workload = new EchoWorkload(clients.length, command.payloadBytes, started + command.seconds * 1000, resolve);
    timer = setTimeout(resolve, command.seconds * 1000 + STRAGGLER_WAIT_MS);
    for (const client of clients) {
      client.sink = workload;
      workload.sendNext(client);
    }
  });
  clearTimeout(timer);
  const elapsedMs = performance.now() - started;
  for (const client of clients) client.sink = IGNORE_FRAMES;
  const done = workload as EchoWorkload;
  return { clients: clients.length, acks: done.acks, elapsedMs, latency: done.latency.summary() };
}

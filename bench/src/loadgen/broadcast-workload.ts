/**
 * Fan-out: one client asks the server `ratePerSec` times a second to broadcast a timestamped
 * `tick`; every reading client counts the ticks it receives and their latency.
 */
import { IGNORE_FRAMES, type FrameSink } from "./bench-client.js";
import type { ClientPool } from "./client-pool.js";
import { LatencyRecorder } from "../latency-recorder.js";
import type { BroadcastCommand, BroadcastResult } from "../messages.js";

/** Trigger scheduler period; triggers owed since the last period are sent together. */
const SCHEDULER_PERIOD_MS = 2;

class TickCounter implements FrameSink {
  readonly latency = new LatencyRecorder();
  deliveries = 0;
  lastDeliveryAt = 0;
  /** Set once the trigger phase ends; resolves the drain wait when every tick has arrived. */
  expected = Number.POSITIVE_INFINITY;
  onComplete: () => void = () => {};

  ack(): void {}

  tick(_client: unknown, t: number): void {
    const now = performance.now();
    this.deliveries++;
    this.lastDeliveryAt = now;
    this.latency.record(now - t);
    if (this.deliveries >= this.expected) this.onComplete();
  }
}

export async function runBroadcast(
  pool: ClientPool,
  command: BroadcastCommand,
): Promise<Omit<BroadcastResult, "cpuUs">> {
  const readers = pool.readers();
  const trigger = pool.group("default")[0];
  if (trigger === undefined) throw new Error("broadcast: no connected client to send triggers");
  const counter = new TickCounter();
  for (const client of readers) client.sink = counter;

  const started = performance.now();
  const total = Math.max(1, Math.round(command.ratePerSec * command.seconds));
  let triggers = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const owed = Math.min(total, Math.floor(((performance.now() - started) / 1000) * command.ratePerSec) + 1);
      while (triggers < owed) {
        triggers++;
        trigger.send(`42["bcast",${performance.now()},${command.payloadBytes}]`);
      }
      if (triggers >= total) {
        clearInterval(timer);
        resolve();
      }
    }, SCHEDULER_PERIOD_MS);
  });

  // Every reader that is still connected should get every tick.
  const expected = triggers * readers.length;
  if (counter.deliveries < expected) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, command.drainMs);
      counter.expected = expected;
      counter.onComplete = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  for (const client of readers) client.sink = IGNORE_FRAMES;
  return {
    triggers,
    receivers: readers.length,
    deliveries: counter.deliveries,
    expected,
    elapsedMs: (counter.deliveries > 0 ? counter.lastDeliveryAt : performance.now()) - started,
    latency: counter.latency.summary(),
  };
}

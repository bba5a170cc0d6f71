/**
 * The load generator process: `node loadgen/main.js --url ws://127.0.0.1:<port>/socket.io/?...`.
 * Runs one {@link LoadgenCommand} at a time from stdin and answers `RESULT <json>` or
 * `ERROR <message>` (see `../messages.ts`). Exits when stdin ends.
 */
import { createInterface } from "node:readline";
import { ClientPool } from "./client-pool.js";
import { runBroadcast } from "./broadcast-workload.js";
import { runEcho } from "./echo-workload.js";
import type { LoadgenCommand } from "../messages.js";

/** Runs `command` and adds the generator's CPU time for it as `cpuUs`. */
async function measured(pool: ClientPool, command: LoadgenCommand): Promise<unknown> {
  const before = process.cpuUsage();
  const result = await execute(pool, command);
  const cpu = process.cpuUsage(before);
  return { ...result, cpuUs: cpu.user + cpu.system };
}

function execute(pool: ClientPool, command: LoadgenCommand): Promise<object> {
  switch (command.op) {
    case "connect":
      return pool.connect(command.count, command.concurrency, command.group);
    case "echo":
      return runEcho(pool, command);
    case "broadcast":
      return runBroadcast(pool, command);
    case "pause":
      return Promise.resolve({ count: pool.pause(command.group) });
    case "close":
      return pool.close(command.group).then((count) => ({ count }));
  }
}

function main(): void {
  const index = process.argv.indexOf("--url");
  const url = index >= 0 ? process.argv[index + 1] : undefined;
  if (url === undefined)
    throw new TypeError("The load generator needs --url ws://host:port/socket.io/?EIO=4&transport=websocket.");
  const pool = new ClientPool(url);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Commands run strictly one after another, in arrival order.
  let queue: Promise<void> = Promise.resolve();
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => {
      try {
        const result = await measured(pool, JSON.parse(line) as LoadgenCommand);
        process.stdout.write("RESULT " + JSON.stringify(result) + "\n");
      } catch (error) {
        process.stdout.write(
          `ERROR ${error instanceof Error ? error.message : String(error)}\n`.replace(/\n(?!$)/g, " "),
        );
      }
    });
  });
  lines.on("close", () => {
    void queue.then(() => pool.close()).finally(() => process.exit(0));
  });
  process.stdout.write("READY\n");
}

main();

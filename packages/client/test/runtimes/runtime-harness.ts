/**
 * Node side of the Bun/Deno runtime tests: finds the runtime (the `bun`/`deno` root
 * devDependencies, else PATH), starts a real omnio or socket.io server on a fixed 127.0.0.1
 * port, spawns `client-scenario.js` in the runtime, answers its steps, restarts the server on
 * the same port when the scenario asks for it, and returns every step the scenario reported.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Server as OmnioServer } from "@omnio/server";
import { Server as SioServer } from "socket.io";
import { freePort, requireProgram } from "@omnio/testkit";
import type { ServerKind } from "../support/servers.js";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const SCENARIO = fileURLToPath(new URL("./client-scenario.js", import.meta.url));

export type RuntimeName = "bun" | "deno";

/**
 * The environment for runtime processes: no update check (Deno) and no telemetry (Bun honours
 * DO_NOT_TRACK), so a test run sends nothing beyond 127.0.0.1.
 */
export const RUNTIME_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  DENO_NO_UPDATE_CHECK: "1",
  DENO_NO_PROMPT: "1",
  DO_NOT_TRACK: "1",
  NO_COLOR: "1",
};

/** Where `npm ci` leaves a runtime: the `.bin` link (replaced by the postinstall step), the platform package's binary. */
const NPM_CANDIDATES: Record<RuntimeName, string[]> = {
  bun: ["node_modules/.bin/bun", "node_modules/bun/bin/bun.exe", "node_modules/@oven/bun-linux-x64/bin/bun"],
  deno: ["node_modules/.bin/deno", "node_modules/deno/deno", "node_modules/@deno/linux-x64-glibc/deno"],
};

function runs(path: string): boolean {
  return spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000, env: RUNTIME_ENV }).status === 0;
}

/**
 * The runtime binary: the npm-installed one first (a root devDependency; its platform package
 * holds the real binary even when the postinstall step did not run), then PATH. A binary that is
 * there but does not run counts as missing: a loud skip on a person's machine, a failure under
 * CI=true (requireProgram's rule).
 */
export function findRuntime(name: RuntimeName): { path: string | undefined; skip: string | undefined } {
  for (const candidate of NPM_CANDIDATES[name]) {
    if (existsSync(ROOT + candidate) && runs(ROOT + candidate)) return { path: ROOT + candidate, skip: undefined };
  }
  const found = requireProgram({
    name,
    install: `npm ci (${name} is a root devDependency) or install ${name}`,
    what: `the ${name} runtime tests`,
  });
  if (found.path === undefined || runs(found.path)) return found;
  const why = `\`${found.path} --version\` failed; the ${name} runtime tests need a working ${name}`;
  if (process.env["CI"] === "true") throw new Error(`CI=true: ${why}`);
  console.warn(`\n!!!!!!!! SKIPPED: ${why} !!!!!!!!\n`);
  return { path: undefined, skip: why };
}

export interface Step {
  step: string;
  [key: string]: unknown;
}

export interface ScenarioResult {
  steps: Step[];
  exitCode: number | null;
  stderr: string;
  /** Server generations that saw a connection: [1, 2] after a restart. */
  generations: number[];
  /** Connections upgraded from polling to WebSocket, over both server generations. */
  upgrades: number;
}

interface LiveServer {
  http: HttpServer;
  close(): Promise<void>;
}

async function startServer(
  kind: ServerKind,
  port: number,
  generation: number,
  seen: { generations: number[]; upgrades: number },
): Promise<LiveServer> {
  const http = createServer();
  const io: any = kind === "omnio" ? new OmnioServer(http) : new SioServer(http);
  io.engine.on("connection", (conn: any) => conn.on("upgrade", () => seen.upgrades++));
  io.on("connection", (socket: any) => {
    seen.generations.push(generation);
    socket.on("hello", (_runtime: string, ack: (v: unknown) => void) =>
      ack({ generation, header: socket.handshake.headers["x-runtime"] ?? null, transport: socket.conn.transport.name }),
    );
    socket.on("bin-up", (view: Buffer, obj: { nested: Buffer }, ack: (v: unknown) => void) =>
      ack({ view: [...view], nested: [...obj.nested], binary: Buffer.isBuffer(view) && Buffer.isBuffer(obj.nested) }),
    );
    socket.on("send-me-binary", (ack: (b: Buffer) => void) => {
      socket.emit("bin-down", Buffer.from([1, 2, 3]), { b: Buffer.from([4]) });
      ack(Buffer.from([5, 6]));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", resolve);
  });
  return {
    http,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        io.close(() => resolve());
        setTimeout(resolve, 500);
      }),
  };
}

/** The runtime's command line for a script: Bun runs it as is, Deno with 127.0.0.1-only network access. */
export function runtimeArgv(runtime: RuntimeName, scriptArgs: string[]): string[] {
  return runtime === "bun"
    ? [...scriptArgs]
    : ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "--no-prompt", "--no-lock", ...scriptArgs];
}

/** Runs the scenario in `runtime` against a `kind` server; restarts the server when asked. */
export async function runScenario(
  runtime: RuntimeName,
  binary: string,
  kind: ServerKind,
  transports: string,
  upgrade: boolean,
): Promise<ScenarioResult> {
  const port = await freePort();
  const seen = { generations: [] as number[], upgrades: 0 };
  let server = await startServer(kind, port, 1, seen);
  const url = `http://127.0.0.1:${port}`;
  const scriptArgs = [SCENARIO, runtime, url, transports, upgrade ? "upgrade" : "no-upgrade"];
  const argv = runtimeArgv(runtime, scriptArgs);
  const child = spawn(binary, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: RUNTIME_ENV });
  const steps: Step[] = [];
  let stderr = "";
  let buffered = "";
  let restarting: Promise<void> | undefined;
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) !== -1) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line.startsWith("{")) continue;
      const step = JSON.parse(line) as Step;
      steps.push(step);
      if (step.step === "ready-for-restart") {
        restarting = (async () => {
          await server.close();
          server = await startServer(kind, port, 2, seen);
        })();
      }
    }
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  clearTimeout(killer);
  await restarting;
  await server.close();
  return { steps, exitCode, stderr, ...seen };
}

/**
 * Checks a scenario run: the runtime's own platform was used, the `extraHeaders` header arrived,
 * binary crossed both ways as exact bytes (ArrayBuffers on the runtime's side), the server was
 * restarted and the client reconnected to the new one by itself, and the process exited 0.
 */
export function assertScenario(
  result: ScenarioResult,
  runtime: RuntimeName,
  mode: "websocket" | "polling" | "upgrade",
): void {
  const get = (name: string): Step => {
    const step = result.steps.find((s) => s.step === name);
    assert.ok(step, `step "${name}" missing; steps: ${JSON.stringify(result.steps)}; stderr: ${result.stderr}`);
    return step;
  };
  const startStep = get("start");
  assert.equal(startStep.platform, runtime);
  assert.equal(startStep.randomBytes, 16, "crypto.getRandomValues backs randomBytes");
  assert.equal(startStep.blob, true, "the runtime's Blob is recognised");
  const hello = get("hello").ack as { generation: number; header: string | null; transport: string };
  assert.equal(hello.generation, 1);
  // Polling sends extraHeaders on every request; the runtime's WebSocket takes them too.
  assert.equal(hello.header, runtime);
  if (mode === "websocket") assert.equal(hello.transport, "websocket");
  if (mode === "polling") assert.equal(hello.transport, "polling");
  assert.deepEqual(get("bin-up").ack, { view: [1, 2, 3], nested: [7, 7], binary: true });
  assert.deepEqual(get("blob-up").ack, { view: [4, 5, 6], nested: [8], binary: true });
  const down = get("bin-down");
  assert.deepEqual(down.event, [[1, 2, 3], [4]]);
  assert.deepEqual(down.ack, [5, 6]);
  const disconnects = result.steps.filter((s) => s.step === "disconnect").map((s) => s.reason);
  assert.match(String(disconnects[0]), /^transport (close|error)$/);
  const again = get("reconnected").ack as { generation: number; header: string | null; transport: string };
  assert.equal(again.generation, 2, "talked to the restarted server");
  assert.equal(again.header, runtime);
  assert.notEqual(get("reconnected").id, get("hello").id);
  assert.deepEqual(result.generations, [1, 2]);
  if (mode === "polling") assert.equal(result.upgrades, 0);
  if (mode === "upgrade") assert.ok(result.upgrades >= 1, "the connection upgraded to WebSocket");
  get("done");
  assert.equal(result.exitCode, 0, result.stderr);
}

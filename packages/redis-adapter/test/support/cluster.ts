/** Starts cluster nodes (test/support/cluster-node.ts) as child processes and drives them over IPC. */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./cluster-node.js", import.meta.url));

export interface NodeOptions {
  name: string;
  redisPort: number;
  kind?: "omnio" | "socket.io";
  mode?: "pubsub" | "streams";
  routing?: boolean;
  recovery?: boolean;
  requestsTimeout?: number;
  port?: number;
  pingInterval?: number;
}

/** The adapter configurations the cross-node suites run under: each transport and routing choice. */
export const ADAPTER_VARIANTS = [
  { label: "pubsub, routing on", mode: "pubsub", routing: true },
  { label: "pubsub, routing off", mode: "pubsub", routing: false },
  { label: "streams", mode: "streams", routing: true },
] as const;

export class ClusterNode {
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on("message", (msg: { id?: number; result?: unknown; error?: string }) => {
      if (msg.id === undefined) return;
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${name}: ${msg.error}`));
      else p.resolve(msg.result);
    });
    child.on("exit", () => {
      for (const p of this.#pending.values()) p.reject(new Error(`${name} exited`));
      this.#pending.clear();
    });
  }

  static start(o: NodeOptions): Promise<ClusterNode> {
    const child = fork(script, [], {
      env: {
        ...process.env,
        NAME: o.name,
        REDIS_PORT: String(o.redisPort),
        KIND: o.kind ?? "omnio",
        MODE: o.mode ?? "pubsub",
        ROUTING: o.routing === false ? "0" : "1",
        RECOVERY: o.recovery ? "1" : "0",
        REQUESTS_TIMEOUT: String(o.requestsTimeout ?? 2000),
        PORT: String(o.port ?? 0),
        PING_INTERVAL: String(o.pingInterval ?? 2000),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${o.name} did not start`)), 30_000);
      child.once("exit", (code) => reject(new Error(`${o.name} exited during start (${code})`)));
      child.on("message", function onReady(msg: { ready?: number }) {
        if (msg.ready === undefined) return;
        clearTimeout(timer);
        child.off("message", onReady);
        resolve(new ClusterNode(o.name, child, msg.ready));
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args });
    });
  }

  /** SIGKILL (or another signal), and wait for the exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill(signal);
    await exited;
  }
}

export async function startNodes(
  redisPort: number,
  specs: Array<Partial<NodeOptions> & { name: string }>,
): Promise<ClusterNode[]> {
  return Promise.all(specs.map((s) => ClusterNode.start({ redisPort, ...s })));
}

export async function stopNodes(nodes: ClusterNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.kill()));
}

/** Polls `check` until it returns true (or throws after `ms`). */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

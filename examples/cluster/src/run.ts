/**
 * Starts the whole example on this machine: redis-server, three omnio nodes and nginx in
 * front of them with plain round robin. `npm start` (in examples/cluster) or
 * `node examples/cluster/dist/run.js [port]`; Ctrl+C stops everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { nginxConfig } from "./nginx-config.js";
import { findProgram, freePort, startProgram, stopProgram, waitForPort } from "./processes.js";

export interface ExampleCluster {
  /** nginx's address: what clients connect to. */
  readonly url: string;
  readonly nodes: Array<{ id: string; port: number; url: string; process: ChildProcess }>;
  readonly redisUrl: string;
  /** The generated nginx.conf. */
  readonly nginxConf: string;
  close(): Promise<void>;
}

export interface ExampleClusterOptions {
  /** nginx's port. @default a free port */
  port?: number;
  /** Node ids. @default ["a", "b", "c"] */
  nodeIds?: string[];
  /** Paths of the programs. @default looked up on PATH and /usr/sbin */
  nginx?: string;
  redisServer?: string;
}

const NODE_MAIN = new URL("./node-main.js", import.meta.url).pathname;

export async function startExampleCluster(o: ExampleClusterOptions = {}): Promise<ExampleCluster> {
  const nginx = o.nginx ?? findProgram("nginx");
  const redisServer = o.redisServer ?? findProgram("redis-server");
  if (!nginx) throw new Error("nginx is not installed (Debian: apt-get install -y nginx).");
  if (!redisServer) throw new Error("redis-server is not installed (Debian: apt-get install -y redis-server).");
  const children: ChildProcess[] = [];
  const prefix = mkdtempSync(join(tmpdir(), "omnio-cluster-"));
  chmodSync(prefix, 0o755); // nginx workers may run as another user
  const close = async (): Promise<void> => {
    await Promise.all(children.reverse().map((c) => stopProgram(c)));
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    const redisPort = await freePort();
    children.push(
      await startProgram(
        redisServer,
        ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {},
        "Ready to accept connections",
      ),
    );
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const ids = o.nodeIds ?? ["a", "b", "c"];
    const ports = await Promise.all(ids.map(() => freePort()));
    const secret = randomBytes(24).toString("base64url");
    const nodes = await Promise.all(
      ids.map(async (id, i) => {
        const port = ports[i]!;
        const address = `http://127.0.0.1:${port}`;
        // No peer list: the nodes find each other through Redis.
        const env = {
          NODE_ID: id,
          PORT: String(port),
          ADDRESS: address,
          SECRET: secret,
          REDIS_URL: redisUrl,
        };
        const child = await startProgram(process.execPath, [NODE_MAIN], env, "ready");
        children.push(child);
        return { id, port, url: address, process: child };
      }),
    );
    const port = o.port ?? (await freePort());
    const conf = join(prefix, "nginx.conf");
    writeFileSync(conf, nginxConfig({ listenPort: port, upstreamPorts: ports, prefix }));
    const nginxChild = spawn(nginx, ["-p", prefix, "-c", conf, "-e", join(prefix, "error.log")], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.push(nginxChild);
    await waitForPort(port);
    return { url: `http://127.0.0.1:${port}`, nodes, redisUrl, nginxConf: conf, close };
  } catch (err) {
    await close();
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = process.argv[2] ? Number(process.argv[2]) : 8080;
  const cluster = await startExampleCluster({ port });
  console.log(`omnio cluster: open ${cluster.url} (nginx, round robin over ${cluster.nodes.length} nodes)`);
  for (const n of cluster.nodes) console.log(`  node ${n.id}: ${n.url}`);
  console.log(`  redis: ${cluster.redisUrl}\n  nginx.conf: ${cluster.nginxConf}\nCtrl+C to stop.`);
  const stop = (): void => void cluster.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/**
 * Runs one cluster node from the environment: NODE_ID, PORT, SECRET, REDIS_URL, and either
 * ADDRESS (how the other nodes reach this one; they find each other through Redis) or PEERS
 * (a static JSON table id → URL). Prints "ready <port>" once listening.
 */
import { createClusterNode } from "./cluster-node.js";

const env = process.env;
const port = Number(env["PORT"] ?? 3000);
const node = await createClusterNode({
  nodeId: env["NODE_ID"] ?? "a",
  address: env["ADDRESS"] ?? `http://127.0.0.1:${port}`,
  ...(env["PEERS"] ? { peers: JSON.parse(env["PEERS"]) as Record<string, string> } : {}),
  secret: env["SECRET"] ?? "",
  redisUrl: env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
});
node.httpServer.listen(port, "127.0.0.1", () => console.log(`ready ${port}`));
const stop = (): void => void node.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

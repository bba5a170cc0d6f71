/**
 * Runs one cluster node from the environment: NODE_ID, PORT, PEERS (JSON id → URL), SECRET,
 * REDIS_URL. Prints "ready <port>" once listening.
 */
import { createClusterNode } from "./cluster-node.js";

const env = process.env;
const port = Number(env["PORT"] ?? 3000);
const node = createClusterNode({
  nodeId: env["NODE_ID"] ?? "a",
  peers: JSON.parse(env["PEERS"] ?? "{}") as Record<string, string>,
  secret: env["SECRET"] ?? "",
  redisUrl: env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
});
node.httpServer.listen(port, "127.0.0.1", () => console.log(`ready ${port}`));
const stop = (): void => void node.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

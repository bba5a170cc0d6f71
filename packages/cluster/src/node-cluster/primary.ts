/**
 * The primary's side of the node:cluster mode: relays adapter messages between workers and
 * tells every worker who the others are (node id → forwarding address), so a polling
 * request or upgrade that node:cluster hands to the wrong worker is forwarded to the owner.
 */
import { randomBytes } from "node:crypto";
import nodeCluster, { type Cluster, type Worker } from "node:cluster";
import { isClusterMessage, CLUSTER_TAG, type ClusterMessage, type MembersMessage } from "./messages.js";

/** What {@link setupPrimary} returns. */
export interface ClusterPrimary {
  /** Node ids of the workers that joined, with their forwarding addresses. */
  members(): Map<string, string>;
  /** Stops relaying (listeners removed). */
  close(): void;
}

/**
 * Call in the primary before `cluster.fork()`. It switches IPC to Node's "advanced"
 * serialization (binary payloads stay binary) and relays the workers' adapter messages.
 *
 * @example
 * import cluster from "node:cluster";
 * import { availableParallelism } from "node:os";
 * import { setupPrimary } from "@omnio/cluster";
 * if (cluster.isPrimary) {
 *   setupPrimary();
 *   for (let i = 0; i < availableParallelism(); i++) cluster.fork();
 * }
 */
export function setupPrimary(cluster: Cluster = nodeCluster): ClusterPrimary {
  if (!cluster.isPrimary) throw new TypeError("setupPrimary() must be called in the cluster's primary process.");
  cluster.setupPrimary({ serialization: "advanced" });
  const secret = randomBytes(24).toString("base64url");
  const members = new Map<string, { worker: Worker; address: string }>();

  const send = (worker: Worker, message: ClusterMessage): void => {
    if (!worker.isConnected()) return;
    try {
      worker.send(message);
    } catch {
      // The worker is exiting; its `exit` event removes it.
    }
  };
  const announce = (): void => {
    const message: MembersMessage = {
      tag: CLUSTER_TAG,
      kind: "members",
      nodes: Object.fromEntries([...members].map(([id, m]) => [id, m.address])),
      secret,
      probe: new Uint8Array([1]),
    };
    for (const m of members.values()) send(m.worker, message);
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isClusterMessage(message)) return;
    if (message.kind === "hello") {
      members.set(message.nodeId, { worker, address: message.address });
      announce();
    } else if (message.kind === "adapter") {
      if (message.to !== undefined) {
        const target = members.get(message.to);
        if (target) send(target.worker, message);
        return;
      }
      for (const [id, m] of members) if (id !== message.from) send(m.worker, message);
    }
  };
  const onExit = (worker: Worker): void => {
    for (const [id, m] of members) {
      if (m.worker === worker) members.delete(id);
    }
    announce();
  };
  cluster.on("message", onMessage);
  cluster.on("exit", onExit);
  return {
    members: () => new Map([...members].map(([id, m]) => [id, m.address])),
    close() {
      cluster.off("message", onMessage);
      cluster.off("exit", onExit);
    },
  };
}

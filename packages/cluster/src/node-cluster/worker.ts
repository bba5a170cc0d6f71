/**
 * The worker's side of the node:cluster mode. One `ClusterWorker` per worker process gives
 * the adapter for the server's options and, once attached, makes the server forward polling
 * requests and upgrades that node:cluster handed to it for another worker's session: each
 * worker also listens on its own loopback port, which the others forward to.
 */
import nodeCluster from "node:cluster";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { AdapterNamespace } from "@omnio/server/core";
import { enableForwarding, type ForwardableServer, type Forwarding } from "../forwarding.js";
import { NodeClusterAdapter, type AdapterLink } from "./cluster-adapter.js";
import {
  CLUSTER_TAG,
  isClusterMessage,
  type AdapterBody,
  type ClusterMessage,
  type MembersMessage,
} from "./messages.js";

export interface ClusterWorkerOptions {
  /** How long cluster-wide requests (fetchSockets, serverSideEmit acks…) wait, in ms. @default 5000 */
  requestTimeout?: number;
  /** Host of this worker's forwarding listener. @default "127.0.0.1" */
  forwardingHost?: string;
}

export const CLUSTER_WORKER_DEFAULTS = Object.freeze({ requestTimeout: 5000, forwardingHost: "127.0.0.1" });

type Ipc = Pick<NodeJS.Process, "on" | "off"> & { send?: (message: unknown) => boolean };

/**
 * @example
 * import { clusterWorker } from "@omnio/cluster";
 * const worker = clusterWorker();
 * const io = new Server(httpServer, { adapter: worker.adapter });
 * await worker.attach(io);
 * httpServer.listen(3000);
 */
export class ClusterWorker implements AdapterLink {
  readonly nodeId: string;
  readonly requestTimeout: number;
  /** Pass as the server's `adapter` option. */
  readonly adapter: (nsp: AdapterNamespace) => NodeClusterAdapter;
  /** Forwarding of this worker, once attached. */
  forwarding: Forwarding | undefined;
  readonly #ipc: Ipc;
  readonly #host: string;
  readonly #adapters = new Map<string, NodeClusterAdapter>();
  #others: string[] = [];
  #members: MembersMessage | undefined;
  #membersWaiters: Array<() => void> = [];
  #internal: HttpServer | undefined;
  readonly #onMessage = (message: unknown): void => this.#receive(message);

  constructor(options: ClusterWorkerOptions = {}, ipc: Ipc = process) {
    const worker = nodeCluster.worker;
    if (!worker || typeof ipc.send !== "function") {
      throw new TypeError("clusterWorker() must be called in a node:cluster worker (forked by cluster.fork()).");
    }
    this.nodeId = `w${worker.id}`;
    this.requestTimeout = options.requestTimeout ?? CLUSTER_WORKER_DEFAULTS.requestTimeout;
    this.#host = options.forwardingHost ?? CLUSTER_WORKER_DEFAULTS.forwardingHost;
    this.#ipc = ipc;
    ipc.on("message", this.#onMessage);
    this.adapter = (nsp) => new NodeClusterAdapter(nsp, this);
  }

  /**
   * Starts this worker's forwarding listener, joins the cluster and enables forwarding on
   * `io` (which must be attached to its HTTP server). Resolves once the primary answered.
   */
  async attach(io: ForwardableServer): Promise<void> {
    const main = io.httpServer;
    if (!main) throw new TypeError("attach() needs an attached server: call it after new Server(httpServer).");
    const internal = (this.#internal = createServer());
    // Requests forwarded by other workers run through the main server's listeners (routing
    // first: the marker is checked there).
    internal.on("request", (req, res) => main.emit("request", req, res));
    internal.on("upgrade", (req, socket, head) => main.emit("upgrade", req, socket, head));
    await new Promise<void>((resolve, reject) => {
      internal.once("error", reject);
      // `exclusive`: a port of this worker's own, not one shared through the primary.
      internal.listen({ port: 0, host: this.#host, exclusive: true }, () => resolve());
    });
    const { port } = internal.address() as AddressInfo;
    const members = await new Promise<MembersMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        internal.close();
        reject(
          new Error("The cluster's primary did not answer: call setupPrimary() in the primary before cluster.fork()."),
        );
      }, this.requestTimeout);
      this.#membersWaiters.push(() => {
        clearTimeout(timer);
        const m = this.#members!;
        // Binary payloads need structured clone; JSON IPC would turn them into plain objects.
        if (m.probe instanceof Uint8Array) resolve(m);
        else {
          internal.close();
          reject(
            new TypeError(
              'The workers must be forked with "advanced" IPC serialization: call setupPrimary() in the primary before cluster.fork().',
            ),
          );
        }
      });
      this.#send({ tag: CLUSTER_TAG, kind: "hello", nodeId: this.nodeId, address: `http://${this.#host}:${port}` });
    });
    this.forwarding = enableForwarding(io, { nodeId: this.nodeId, peers: members.nodes, secret: members.secret });
  }

  /** Leaves the cluster: IPC listener removed, forwarding listener closed. */
  close(): void {
    this.#ipc.off("message", this.#onMessage);
    this.forwarding?.disable();
    this.#internal?.close();
    this.#internal?.closeAllConnections();
  }

  others(): string[] {
    return this.#others;
  }

  publish(nsp: string, body: AdapterBody, to?: string): void {
    this.#send({
      tag: CLUSTER_TAG,
      kind: "adapter",
      from: this.nodeId,
      ...(to !== undefined ? { to } : {}),
      nsp,
      body,
    });
  }

  register(nsp: string, adapter: NodeClusterAdapter): void {
    this.#adapters.set(nsp, adapter);
  }

  unregister(nsp: string, adapter: NodeClusterAdapter): void {
    if (this.#adapters.get(nsp) === adapter) this.#adapters.delete(nsp);
  }

  #send(message: ClusterMessage): void {
    this.#ipc.send!(message);
  }

  #receive(message: unknown): void {
    if (!isClusterMessage(message)) return;
    if (message.kind === "members") {
      const previous = this.#others;
      this.#members = message;
      this.#others = Object.keys(message.nodes).filter((id) => id !== this.nodeId);
      this.forwarding?.setPeers(message.nodes);
      for (const gone of previous.filter((id) => !this.#others.includes(id))) {
        for (const adapter of this.#adapters.values()) adapter.onWorkerGone(gone);
      }
      if (message.nodes[this.nodeId] !== undefined) {
        for (const wake of this.#membersWaiters.splice(0)) wake();
      }
      return;
    }
    if (message.kind !== "adapter" || message.from === this.nodeId) return;
    const adapter = this.#adapters.get(message.nsp);
    if (adapter) {
      adapter.onMessage(message.from, message.body);
      return;
    }
    // No such namespace here: answer requests with "nothing" so the sender does not wait.
    const b = message.body;
    const reply = (body: AdapterBody): void => this.publish(message.nsp, body, message.from);
    if (b.type === "fetch") reply({ type: "fetch-response", requestId: b.requestId, sockets: [] });
    else if (b.type === "sockets") reply({ type: "sockets-response", requestId: b.requestId, ids: [] });
    else if (b.type === "broadcast-ack") reply({ type: "client-count", requestId: b.requestId, count: 0 });
  }
}

/** Creates this worker's {@link ClusterWorker}. */
export function clusterWorker(options?: ClusterWorkerOptions): ClusterWorker {
  return new ClusterWorker(options);
}

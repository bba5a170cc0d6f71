/** omnio cluster features: no sticky sessions (forwarding) and the node:cluster adapter. */
export { enableForwarding, type Forwarding, type ForwardingStats, type ForwardableServer } from "./forwarding.js";
export { FORWARDING_DEFAULTS, type ForwardingOptions, type PeerTable } from "./forwarding-options.js";
export { FORWARD_HEADER } from "./forward-signature.js";
export { NODE_ID_PATTERN, ownerOf, ownedSessionId } from "./session-id.js";
export { setupPrimary, type ClusterPrimary } from "./node-cluster/primary.js";
export {
  clusterWorker,
  ClusterWorker,
  CLUSTER_WORKER_DEFAULTS,
  type ClusterWorkerOptions,
} from "./node-cluster/worker.js";
export { NodeClusterAdapter, ClusterTimeoutError } from "./node-cluster/cluster-adapter.js";
export {
  discoverPeersThroughRedis,
  REDIS_DISCOVERY_DEFAULTS,
  type DiscoveryRedis,
  type RedisDiscovery,
  type RedisDiscoveryOptions,
} from "./redis-discovery.js";

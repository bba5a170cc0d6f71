/**
 * Manager and Socket options: socket.io-client 4.x names and defaults (protocol doc §1.8), each
 * documented where it is declared, with frozen defaults and resolvers.
 */
import type { EngineOptions } from "../engine/options.js";
import { withDefaults } from "../engine/defaults.js";
import { checkNumber } from "../errors.js";
import type { Parser } from "@omnio/protocol";
import type { SendBufferOptions } from "./send-buffer.js";

/** Options of {@link Manager}: its own, plus every engine option, passed through. */
export interface ManagerOptions extends EngineOptions {
  /**
   * Path of the Socket.IO endpoint.
   * @default "/socket.io"
   */
  path?: string;
  /**
   * Reconnect automatically after the connection is lost.
   * @default true
   */
  reconnection?: boolean;
  /**
   * Attempts before giving up (`reconnect_failed`).
   * @default Infinity
   */
  reconnectionAttempts?: number;
  /**
   * First reconnection delay in ms; doubles at each attempt.
   * @default 1000
   */
  reconnectionDelay?: number;
  /**
   * Largest reconnection delay in ms.
   * @default 5000
   */
  reconnectionDelayMax?: number;
  /**
   * Jitter: each delay moves by up to `± randomizationFactor * delay`. 0 disables it.
   * @default 0.5
   */
  randomizationFactor?: number;
  /**
   * Connect timeout in ms: an engine not open by then fails with `"timeout"`. `false` disables it.
   * @default 20000
   */
  timeout?: number | false;
  /**
   * Open the connection in the constructor (and connect sockets when they are created).
   * @default true
   */
  autoConnect?: boolean;
  /**
   * Largest attachment count of a binary packet from the server.
   * @default 10
   */
  maxAttachments?: number;
  /**
   * A custom Socket.IO codec with socket.io-parser's interface, e.g. `socket.io-msgpack-parser`
   * (the server must use the same one). Every packet its decoder emits is validated; a decoder
   * that throws or emits an invalid packet closes the connection with "parse error".
   * @default undefined (the built-in parser)
   */
  parser?: Parser;
  /**
   * Source of randomness for the jitter (tests make it deterministic).
   * @default Math.random
   */
  random?: () => number;
}

/** Options of a client {@link Socket}. */
export interface SocketOptions {
  /**
   * Sent in the CONNECT packet: an object, or a function called at every connect (each
   * reconnection too) that hands the object to its callback.
   * @default undefined
   */
  auth?: Record<string, unknown> | ((callback: (data: Record<string, unknown>) => void) => void);
  /**
   * Default acknowledgement timeout in ms for emits with an ack (error-first callbacks).
   * @default undefined (acks wait forever)
   */
  ackTimeout?: number;
  /**
   * socket.io-client's `retries`: when > 0, every non-volatile emit joins a queue and is sent
   * one at a time, in order, each resent (with the same ack id) after an ack timeout or a lost
   * connection until the server acknowledges it or `retries` resends failed. The server must
   * call the ack. Ack callbacks are error-first. Against an omnio server a retry never reaches
   * the handler twice (the server answers it from its ack cache); against socket.io, delivery
   * is at least once. The queue obeys the `sendBuffer` limits (the packet in flight is never evicted).
   * @default 0
   */
  retries?: number;
  /**
   * Limits of the buffer used while the socket cannot send (see `SendBufferOptions`).
   * @default { maxPackets: 1000, maxBytes: 1048576, policy: "drop-oldest", maxAge: Infinity }
   */
  sendBuffer?: SendBufferOptions;
}

/** Manager options with every default applied (engine options stay as given, in `engine`). */
export interface ResolvedManagerOptions {
  reconnection: boolean;
  reconnectionAttempts: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  randomizationFactor: number;
  timeout: number | false;
  autoConnect: boolean;
  maxAttachments: number;
  random: () => number;
  engine: EngineOptions;
}

/** The Manager's own options with a default: the resolved ones (bar `random`, `engine`) and `path`. */
type ManagerDefaults = Omit<ResolvedManagerOptions, "random" | "engine"> & { path: string };

/** The defaults, frozen. */
export const MANAGER_DEFAULTS: Readonly<ManagerDefaults> = Object.freeze({
  path: "/socket.io",
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20_000,
  autoConnect: true,
  maxAttachments: 10,
});

/**
 * Applies the defaults and validates; invalid options throw a `TypeError`. `engine` is the
 * options as given with the Socket.IO `path` and an `upgradeMemory` (the engine reads only its
 * own options).
 */
export function resolveManagerOptions(options: ManagerOptions): ResolvedManagerOptions {
  const o = withDefaults<ManagerDefaults>(MANAGER_DEFAULTS, options);
  for (const key of ["reconnectionAttempts", "reconnectionDelay", "reconnectionDelayMax"] as const)
    checkNumber(key, o[key]);
  checkNumber("randomizationFactor", o.randomizationFactor, 1);
  if (o.timeout !== false) checkNumber("timeout", o.timeout);
  // One upgrade memory for all the Manager's engines: a reconnection remembers a past upgrade.
  const upgradeMemory = options.upgradeMemory ?? { websocketSucceeded: false };
  return { ...o, random: options.random ?? Math.random, engine: { ...options, path: o.path, upgradeMemory } };
}

/** Socket.IO server options: its own plus every Engine.IO option, with socket.io's defaults. */
import type { Adapter } from "../adapter/in-memory-adapter.js";
import type { AdapterNamespace } from "../adapter/types.js";
import type { EngineOptions } from "../engine/options.js";
import type { AckDedupOptions } from "./ack-cache.js";
import { checkParser, type Parser } from "./custom-parser.js";

/** An adapter class, or a factory `(nsp) => adapter` (as `createAdapter()` of cluster adapters returns). */
export type AdapterConstructor = (new (nsp: AdapterNamespace) => Adapter) | ((nsp: AdapterNamespace) => Adapter);

export interface ConnectionStateRecoveryOptions {
  /** How long a disconnected session is kept, in ms. @default 120000 */
  maxDisconnectionDuration?: number;
  /** Skip middlewares when a session is recovered. @default true */
  skipMiddlewares?: boolean;
}

export interface ServerOptions extends EngineOptions {
  /** @default "/socket.io" */
  path?: string;
  /** Serve `@omnio/client`'s browser bundle at `<path>/omnio.min.js` and `<path>/socket.io(.min).js` (Node adapter; needs the optional peer `@omnio/client`). @default true */
  serveClient?: boolean;
  /** Adapter class or factory. @default the in-memory adapter (session-aware with recovery) */
  adapter?: AdapterConstructor;
  /** Close connections that join no namespace within this many ms. @default 45000 */
  connectTimeout?: number;
  /** Connection state recovery; off unless given. */
  connectionStateRecovery?: ConnectionStateRecoveryOptions;
  /** Delete dynamic child namespaces when their last socket leaves. @default false */
  cleanupEmptyChildNamespaces?: boolean;
  /** Largest number of binary attachments in one packet (CVE-2026-33151); built-in parser only. @default 10 */
  maxAttachments?: number;
  /**
   * A custom Socket.IO codec with socket.io's parser interface (`{ Encoder, Decoder }`), e.g.
   * `import * as msgpackParser from "socket.io-msgpack-parser"`. Clients must use the same
   * one. Every packet its decoder emits is validated as the built-in decoder's are; a decoder
   * that throws or emits an invalid packet closes that connection (a parse error).
   * @default the built-in parser (socket.io-parser's wire format)
   */
  parser?: Parser;
  /**
   * Retry deduplication for omnio clients with `retries`: a resent packet (same ack scope and
   * ack id) is answered from a bounded ack cache instead of running the handler again. `false`
   * turns it off. Clients that send no ack scope (socket.io-client) are unaffected. Bounded by
   * count, bytes (`maxBytes`) and the time a handler may take to ack (`pendingTtl`).
   * @default { maxEntries: 10000, maxBytes: 1048576, pendingTtl: 60000 }
   */
  ackDedup?: AckDedupOptions | false;
}

export interface ResolvedServerOptions {
  path: string;
  serveClient: boolean;
  adapter: AdapterConstructor | undefined;
  connectTimeout: number;
  connectionStateRecovery: Required<ConnectionStateRecoveryOptions> | false;
  cleanupEmptyChildNamespaces: boolean;
  maxAttachments: number;
  ackDedup: AckDedupOptions | false;
  parser: Parser | undefined;
}

export function resolveServerOptions(o: ServerOptions): ResolvedServerOptions {
  const csr = o.connectionStateRecovery;
  if (o.parser !== undefined) checkParser(o.parser);
  return {
    path: o.path ?? "/socket.io",
    serveClient: o.serveClient ?? true,
    adapter: o.adapter,
    connectTimeout: o.connectTimeout ?? 45000,
    connectionStateRecovery: csr
      ? {
          maxDisconnectionDuration: csr.maxDisconnectionDuration ?? 120000,
          skipMiddlewares: csr.skipMiddlewares ?? true,
        }
      : false,
    cleanupEmptyChildNamespaces: o.cleanupEmptyChildNamespaces ?? false,
    maxAttachments: o.maxAttachments ?? 10,
    ackDedup: o.ackDedup ?? {},
    parser: o.parser,
  };
}

/**
 * In-memory adapter with connection state recovery: disconnected sessions and the
 * broadcasts sent meanwhile are kept for `maxDisconnectionDuration`; each stored broadcast
 * carries an offset appended as its last argument, which the client echoes back.
 */
import { PacketType, type SocketPacket } from "@omnio/protocol";
import { Adapter } from "./in-memory-adapter.js";
import type { AdapterNamespace, BroadcastOptions, RestoredSession, Room, Session } from "./types.js";

interface StoredPacket {
  id: string;
  emittedAt: number;
  data: unknown[];
  rooms: Set<Room>;
  except: Set<Room> | undefined;
}

interface StoredSession extends Session {
  disconnectedAt: number;
}

/** How often expired sessions and packets are purged. */
const PURGE_INTERVAL_MS = 60_000;

export class SessionAwareAdapter extends Adapter {
  readonly #maxDisconnectionDuration: number;
  readonly #sessions = new Map<string, StoredSession>();
  #packets: StoredPacket[] = [];
  #counter = 0;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(nsp: AdapterNamespace, maxDisconnectionDuration: number) {
    super(nsp);
    this.#maxDisconnectionDuration = maxDisconnectionDuration;
    this.#timer = setInterval(() => this.#purge(), PURGE_INTERVAL_MS);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #purge(now = Date.now()): void {
    const cutoff = now - this.#maxDisconnectionDuration;
    for (const [pid, s] of this.#sessions) if (s.disconnectedAt < cutoff) this.#sessions.delete(pid);
    let i = 0;
    while (i < this.#packets.length && this.#packets[i]!.emittedAt < cutoff) i++;
    if (i > 0) this.#packets = this.#packets.slice(i);
  }

  override close(): void {
    clearInterval(this.#timer);
  }

  #nextOffset(): string {
    // Unique and increasing within this process: time, then a counter.
    return Date.now().toString(36) + "-" + (this.#counter++).toString(36);
  }

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    const recoverable = packet.type === PacketType.EVENT && packet.id === undefined && !opts.flags?.volatile;
    if (recoverable && Array.isArray(packet.data)) {
      const id = this.#nextOffset();
      packet.data.push(id);
      this.#packets.push({
        id,
        emittedAt: Date.now(),
        data: packet.data as unknown[],
        rooms: opts.rooms,
        except: opts.except,
      });
    }
    super.broadcast(packet, opts);
  }

  override persistSession(session: Session): void {
    this.#sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
  }

  override restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
    this.#purge();
    const session = this.#sessions.get(pid);
    if (!session) return Promise.resolve(null);
    const index = this.#packets.findIndex((p) => p.id === offset);
    if (index === -1) return Promise.resolve(null);
    this.#sessions.delete(pid);
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    for (let i = index + 1; i < this.#packets.length; i++) {
      const p = this.#packets[i]!;
      const included = p.rooms.size === 0 || [...p.rooms].some((r) => rooms.has(r));
      const excluded = p.except !== undefined && [...p.except].some((r) => rooms.has(r));
      if (included && !excluded) missedPackets.push(p.data);
    }
    const { disconnectedAt: _unused, ...rest } = session;
    return Promise.resolve({ ...rest, missedPackets });
  }
}

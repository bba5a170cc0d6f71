/**
 * Counts the host sockets one platform instance holds, from `connectSocket` until the host
 * reports them gone (or a close timeout gives up on it), and refuses past `max`
 * (miniprogram-platforms §1.10 rule 9). A task closed while connecting keeps its slot until it
 * is really closed, which is what the host counts too.
 */
export class SocketRegistry {
  readonly max: number;
  #live = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** Sockets currently held. */
  get live(): number {
    return this.#live;
  }

  /** Takes a slot; returns a release function (idempotent), or `undefined` when full. */
  acquire(): (() => void) | undefined {
    if (this.#live >= this.max) return undefined;
    this.#live++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#live--;
    };
  }
}

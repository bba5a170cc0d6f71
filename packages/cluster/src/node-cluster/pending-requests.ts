/**
 * Requests an adapter sent to the other workers and is waiting on: which workers still owe
 * an answer, with a timeout. A worker that leaves the cluster stops being waited for.
 */

export interface PendingRequest {
  /** Workers that have not answered yet. */
  waiting: Set<string>;
  /** Called with each answer. */
  onResponse(from: string, body: unknown): void;
  /** Called once: every worker answered (`timedOut` false) or the time ran out. */
  onDone(timedOut: boolean): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class PendingRequests {
  readonly #pending = new Map<number, PendingRequest>();
  #nextId = 1;

  /** Registers a request waiting on `workers`; returns its id. Completes at once when none. */
  open(
    workers: Iterable<string>,
    timeoutMs: number,
    onResponse: PendingRequest["onResponse"],
    onDone: PendingRequest["onDone"],
  ): number {
    const id = this.#nextId++;
    const request: PendingRequest = { waiting: new Set(workers), onResponse, onDone, timer: undefined };
    if (request.waiting.size === 0) {
      queueMicrotask(() => onDone(false));
      return id;
    }
    request.timer = setTimeout(() => this.#finish(id, true), timeoutMs);
    this.#pending.set(id, request);
    return id;
  }

  /** An answer from `from`; `final` when it is that worker's last one for this request. */
  respond(id: number, from: string, body: unknown, final = true): void {
    const request = this.#pending.get(id);
    if (!request) return;
    request.onResponse(from, body);
    if (final) this.#settle(id, request, from);
  }

  /** A worker left: nobody waits for it any more. */
  forget(worker: string): void {
    for (const [id, request] of [...this.#pending]) this.#settle(id, request, worker);
  }

  /** Completes every request (adapter closing). */
  closeAll(): void {
    for (const id of [...this.#pending.keys()]) this.#finish(id, true);
  }

  #settle(id: number, request: PendingRequest, worker: string): void {
    if (request.waiting.delete(worker) && request.waiting.size === 0) this.#finish(id, false);
  }

  #finish(id: number, timedOut: boolean): void {
    const request = this.#pending.get(id);
    if (!request) return;
    this.#pending.delete(id);
    clearTimeout(request.timer);
    request.onDone(timedOut);
  }
}

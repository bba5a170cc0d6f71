/** Listener registrations that can be undone: the Manager and Socket keep lists of these. */
import type { Emitter, EventNames, EventsMap } from "@omnio/protocol";

/** Undoes one registration. */
export type Subscription = () => void;

/**
 * Binds `emitter`: the returned function registers a listener and returns its undo. The event
 * map is given explicitly so listeners get their parameter types from it.
 *
 * @example
 * const on = subscriber<EngineSocketEvents>(engine);
 * const undo = on("close", (reason) => console.log(reason));
 */
export function subscriber<L extends EventsMap>(
  emitter: Emitter<L>,
): <Ev extends EventNames<L>>(event: Ev, listener: L[Ev]) => Subscription {
  return (event, listener) => {
    emitter.on(event, listener);
    return () => {
      emitter.off(event, listener);
    };
  };
}

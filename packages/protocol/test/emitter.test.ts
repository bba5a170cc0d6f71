/**
 * The typed `Emitter`: Node's `EventEmitter` method names and semantics on every runtime.
 * Node's own `EventEmitter` serves as the oracle for random operation sequences.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import fc from "fast-check";
import { Emitter, type EventNames, type EventParams } from "@omnio/protocol";

// An interface on purpose: event maps declared as interfaces (socket.io's documented idiom)
// must satisfy `EventsMap`, which has an index signature.
interface Events {
  tick: (n: number) => void;
  pair: (a: string, b: boolean) => void;
  done: () => void;
}

describe("Emitter", () => {
  test("on: listeners run in order with the arguments; emit reports whether any ran", () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    assert.equal(e.emit("tick", 0), false);
    e.on("tick", (n) => seen.push(`a${n}`)).on("tick", (n) => seen.push(`b${n}`));
    e.addListener("pair", (a, b) => seen.push(`${a}${String(b)}`));
    assert.equal(e.emit("tick", 1), true);
    assert.equal(e.emit("pair", "x", true), true);
    assert.equal(e.emit("done"), false);
    assert.deepEqual(seen, ["a1", "b1", "xtrue"]);
  });

  test("once: runs a single time, even when it throws", () => {
    const e = new Emitter<Events>();
    let calls = 0;
    e.once("tick", () => calls++);
    assert.equal(e.listenerCount("tick"), 1);
    e.emit("tick", 1);
    e.emit("tick", 2);
    assert.equal(calls, 1);
    assert.equal(e.listenerCount("tick"), 0);
    assert.equal(e.emit("tick", 3), false);

    e.once("done", () => {
      throw new Error("boom");
    });
    assert.throws(() => e.emit("done"), /boom/);
    assert.equal(e.listenerCount("done"), 0);
  });

  test("prependListener and prependOnceListener go first", () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    e.on("tick", () => seen.push("on"));
    e.prependListener("tick", () => seen.push("prepend"));
    e.prependOnceListener("tick", () => seen.push("prependOnce"));
    e.emit("tick", 0);
    e.emit("tick", 0);
    assert.deepEqual(seen, ["prependOnce", "prepend", "on", "prepend", "on"]);
  });

  test("off: one listener (the latest registration), all of one event, or everything", () => {
    const e = new Emitter<Events>();
    const seen: number[] = [];
    const f = (n: number) => seen.push(n);
    const g = () => seen.push(-1);
    e.on("tick", f).on("tick", g).on("tick", f);
    e.off("tick", f);
    assert.equal(e.listenerCount("tick"), 2);
    assert.deepEqual(e.listeners("tick"), [f, g]);
    e.emit("tick", 7);
    assert.deepEqual(seen, [7, -1]);
    e.removeListener("tick", g);
    e.off("tick", () => {}); // not registered: no-op
    assert.deepEqual(e.listeners("tick"), [f]);
    e.on("done", () => {});
    e.off("tick");
    assert.equal(e.listenerCount("tick"), 0);
    assert.deepEqual(e.eventNames(), ["done"]);
    e.on("tick", f);
    e.off();
    assert.deepEqual(e.eventNames(), []);
    e.on("tick", f).on("done", () => {});
    e.removeAllListeners();
    assert.deepEqual(e.eventNames(), []);
    e.on("tick", f).on("done", () => {});
    e.removeAllListeners("tick");
    assert.deepEqual(e.eventNames(), ["done"]);
  });

  test("off removes a listener registered with once", () => {
    const e = new Emitter<Events>();
    let calls = 0;
    const f = () => calls++;
    e.once("tick", f);
    e.off("tick", f);
    assert.equal(e.emit("tick", 1), false);
    assert.equal(calls, 0);
  });

  test("listenerCount, hasListeners, listeners, rawListeners, eventNames", () => {
    const e = new Emitter<Events>();
    const f = () => {};
    assert.equal(e.listenerCount("tick"), 0);
    assert.equal(e.hasListeners("tick"), false);
    e.on("tick", f).once("tick", f).on("done", f);
    assert.equal(e.listenerCount("tick"), 2);
    assert.equal(e.hasListeners("tick"), true);
    assert.deepEqual(e.listeners("tick"), [f, f]);
    assert.deepEqual(e.rawListeners("tick"), [f, f]);
    assert.deepEqual(e.eventNames(), ["tick", "done"]);
    assert.equal(e.setMaxListeners(1), e);
    assert.equal(e.getMaxListeners(), Infinity);
    for (let i = 0; i < 20; i++) e.on("tick", f);
    assert.equal(e.listenerCount("tick"), 22);
  });

  test("removing during emit: the current emit still calls everyone it started with", () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    const b = () => seen.push("b");
    const c = () => seen.push("c");
    e.on("done", () => {
      seen.push("a");
      e.off("done", b);
      e.off("done", c);
    });
    e.on("done", b);
    e.once("done", c);
    assert.equal(e.emit("done"), true);
    assert.deepEqual(seen, ["a", "b", "c"]);
    seen.length = 0;
    e.emit("done");
    assert.deepEqual(seen, ["a"]);
  });

  test("a listener removing itself, and one adding another during emit", () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    const self = () => {
      seen.push("self");
      e.off("done", self);
    };
    const late = () => seen.push("late");
    e.on("done", self);
    e.on("done", () => {
      seen.push("adder");
      e.on("done", late);
    });
    e.emit("done");
    assert.deepEqual(seen, ["self", "adder"], "a listener added during emit waits for the next one");
    seen.length = 0;
    e.emit("done");
    assert.deepEqual(seen, ["adder", "late"]);
  });

  test("a single listener that adds itself again runs once per emit", () => {
    const e = new Emitter<Events>();
    let calls = 0;
    const again = () => {
      calls++;
      e.once("done", again);
    };
    e.once("done", again);
    e.emit("done");
    e.emit("done");
    assert.equal(calls, 2);
    assert.equal(e.listenerCount("done"), 1);
  });

  test("the same function registered with once and on", () => {
    const e = new Emitter<Events>();
    let calls = 0;
    const f = () => calls++;
    e.once("done", f);
    e.on("done", f);
    e.emit("done");
    assert.equal(calls, 2);
    assert.deepEqual(e.listeners("done"), [f]);
    e.emit("done");
    e.emit("done");
    assert.equal(calls, 4, "the `on` registration survives; the `once` one is gone");
  });

  test("listeners are called with the emitter as this; errors propagate", () => {
    const e = new Emitter<Events>();
    const seen: unknown[] = [];
    e.on("done", function (this: unknown) {
      seen.push(this);
    });
    e.emit("done");
    assert.equal(seen[0], e);
    e.on("tick", () => {
      throw new TypeError("listener failed");
    });
    assert.throws(() => e.emit("tick", 1), TypeError);
  });

  test("subclasses may override emit and still reach listeners with emitReserved", () => {
    class Guarded extends Emitter<Events> {
      override emit<Ev extends EventNames<Events>>(event: Ev, ...args: EventParams<Events, Ev>): boolean {
        if (event === "done") throw new Error(`"${event}" is reserved`);
        return super.emit(event, ...args);
      }
      finish(): boolean {
        return this.emitReserved("done");
      }
    }
    const g = new Guarded();
    let done = 0;
    g.on("done", () => done++);
    assert.throws(() => g.emit("done"), /reserved/);
    assert.equal(g.finish(), true);
    assert.equal(done, 1);
  });

  test("the event map types listeners and emit arguments", () => {
    const e = new Emitter<Events>();
    // Checked by `tsc -b` (an unused @ts-expect-error fails the build); never run.
    const typeChecks = (): void => {
      // @ts-expect-error -- "nope" is not an event of the map
      e.on("nope", () => {});
      // @ts-expect-error -- tick takes a number
      e.emit("tick", "1");
      // @ts-expect-error -- pair needs two arguments
      e.emit("pair", "a");
      // @ts-expect-error -- listener parameter types must match
      e.on("tick", (s: string) => s);
      e.on("pair", (a: string, b: boolean) => [a, b]);
    };
    assert.equal(typeof typeChecks, "function");
    const untyped = new Emitter();
    untyped.on("anything", (...args: unknown[]) => args);
    assert.equal(untyped.emit("anything", 1, "two", { three: 3 }), true);
  });
});

describe("Emitter agrees with Node's EventEmitter (property based)", () => {
  type Op =
    | { op: "on" | "once" | "prepend" | "prependOnce" | "off"; ev: "a" | "b"; fn: number }
    | { op: "offAll" | "emit"; ev: "a" | "b" };

  const ev = fc.constantFrom("a" as const, "b" as const);
  const fn = fc.nat({ max: 3 });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      op: fc.constantFrom("on" as const, "once" as const, "prepend" as const, "prependOnce" as const, "off" as const),
      ev,
      fn,
    }),
    fc.record({ op: fc.constantFrom("offAll" as const), ev }),
    { weight: 3, arbitrary: fc.record({ op: fc.constantFrom("emit" as const), ev }) },
  );

  interface Target {
    on(ev: string, f: (...a: unknown[]) => void): unknown;
    once(ev: string, f: (...a: unknown[]) => void): unknown;
    prependListener(ev: string, f: (...a: unknown[]) => void): unknown;
    prependOnceListener(ev: string, f: (...a: unknown[]) => void): unknown;
    off(ev: string, f: (...a: unknown[]) => void): unknown;
    removeAllListeners(ev: string): unknown;
    emit(ev: string, ...a: unknown[]): boolean;
    listenerCount(ev: string): number;
    listeners(ev: string): Array<(...a: unknown[]) => void>;
    eventNames(): Array<string | symbol>;
  }

  /** Runs the ops on one emitter; listener 2 removes listener 0, listener 3 adds listener 1 once. */
  function run(target: Target, ops: readonly Op[]): unknown[] {
    const trace: unknown[] = [];
    const pool: Array<(...a: unknown[]) => void> = [];
    pool.push(
      (e) => trace.push(`0@${String(e)}`),
      (e) => trace.push(`1@${String(e)}`),
      (e) => {
        trace.push(`2@${String(e)}`);
        target.off(e as string, pool[0]!);
      },
      (e) => {
        trace.push(`3@${String(e)}`);
        target.once(e as string, pool[1]!);
      },
    );
    const index = (f: unknown) => pool.indexOf(f as (...a: unknown[]) => void);
    for (const o of ops) {
      switch (o.op) {
        case "on":
          target.on(o.ev, pool[o.fn]!);
          break;
        case "once":
          target.once(o.ev, pool[o.fn]!);
          break;
        case "prepend":
          target.prependListener(o.ev, pool[o.fn]!);
          break;
        case "prependOnce":
          target.prependOnceListener(o.ev, pool[o.fn]!);
          break;
        case "off":
          target.off(o.ev, pool[o.fn]!);
          break;
        case "offAll":
          target.removeAllListeners(o.ev);
          break;
        case "emit":
          trace.push(`emit ${o.ev} -> ${target.emit(o.ev, o.ev)}`);
          break;
      }
      trace.push({
        a: target.listeners("a").map(index),
        b: target.listeners("b").map(index),
        counts: [target.listenerCount("a"), target.listenerCount("b")],
        names: target.eventNames().map(String).sort(),
      });
    }
    return trace;
  }

  test("random sequences of on/once/prepend/off/emit", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        assert.deepEqual(
          run(new Emitter() as unknown as Target, ops),
          run(new EventEmitter() as unknown as Target, ops),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

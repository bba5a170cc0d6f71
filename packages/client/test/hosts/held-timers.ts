/**
 * Timers that can be held, as a suspended mini-program JS thread holds them: while held, due
 * callbacks wait; `release()` runs them (late). Passed to a platform as its `timers` option.
 */
export interface HeldTimers {
  timers: { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  hold(): void;
  release(): void;
}

export function heldTimers(): HeldTimers {
  let held = false;
  const waiting = new Set<{ fire: () => void }>();
  return {
    timers: {
      setTimeout(callback, ms) {
        const entry = { fire: callback, timer: undefined as ReturnType<typeof setTimeout> | undefined, cleared: false };
        entry.timer = setTimeout(() => {
          if (entry.cleared) return;
          if (held) waiting.add(entry);
          else callback();
        }, ms);
        return entry;
      },
      clearTimeout(handle) {
        const entry = handle as
          { timer?: ReturnType<typeof setTimeout>; cleared: boolean; fire: () => void } | undefined;
        if (entry === undefined || entry === null) return;
        entry.cleared = true;
        clearTimeout(entry.timer);
        waiting.delete(entry);
      },
    },
    hold() {
      held = true;
    },
    release() {
      held = false;
      const due = [...waiting];
      waiting.clear();
      for (const entry of due) entry.fire();
    },
  };
}

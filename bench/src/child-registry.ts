/** Every child process the runner started, so that all of them can be killed on any exit path. */
import type { ChildProcess } from "node:child_process";

export class ChildRegistry {
  readonly #children = new Set<ChildProcess>();

  add(child: ChildProcess): void {
    this.#children.add(child);
    child.once("exit", () => this.#children.delete(child));
  }

  /** SIGKILLs every child still running (synchronous, so usable from an `exit` handler). */
  killAll(): void {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    this.#children.clear();
  }
}

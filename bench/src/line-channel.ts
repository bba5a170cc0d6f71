/** Line-oriented request/reply over a child's stdin/stdout (see `messages.ts`). */
import type { ChildProcessByStdio } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export type PipedChild = ChildProcessByStdio<Writable, Readable, Readable>;

/** Raised when a child exits or stays silent while the runner waits for a reply. */
export class ChildProcessError extends Error {
  constructor(
    message: string,
    readonly code: "CHILD_EXITED" | "REPLY_TIMEOUT" | "CHILD_ERROR",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ChildProcessError";
  }
}

interface Waiter {
  prefixes: readonly string[];
  resolve: (line: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Keeps the last few kilobytes of a stream, for error messages. */
function tail(stream: Readable, keep: number): () => string {
  let text = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    text = (text + chunk).slice(-keep);
  });
  return () => text.trim();
}

export class LineChannel {
  readonly #waiters: Waiter[] = [];
  readonly #stderrTail: () => string;
  #exit: string | undefined;

  constructor(
    readonly name: string,
    readonly child: PipedChild,
  ) {
    this.#stderrTail = tail(child.stderr, 4000);
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on("line", (line) => this.#line(line));
    child.stdin.on("error", () => {}); // EPIPE after the child died is reported through `exit`.
    child.on("error", (error) =>
      this.#fail(new ChildProcessError(`${name}: ${error.message}`, "CHILD_ERROR", { cause: error })),
    );
    child.on("exit", (code, signal) => {
      this.#exit = signal !== null ? `signal ${signal}` : `code ${String(code)}`;
      // Let the last stdout lines reach their waiters before failing the rest.
      setImmediate(() => this.#fail(this.#exitError()));
    });
  }

  /** The child's stderr so far (last 4,000 characters). */
  stderr(): string {
    return this.#stderrTail();
  }

  send(line: string): void {
    if (this.#exit === undefined) this.child.stdin.write(line + "\n");
  }

  /** Resolves with the next stdout line that starts with one of `prefixes`. */
  expect(prefixes: readonly string[], timeoutMs: number): Promise<string> {
    if (this.#exit !== undefined) return Promise.reject(this.#exitError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        prefixes,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#remove(waiter);
          reject(
            new ChildProcessError(`${this.name}: no ${prefixes.join("/")} within ${timeoutMs} ms`, "REPLY_TIMEOUT"),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Sends `line` and waits for the reply starting with `prefix`; an `ERROR` line rejects. */
  async request(line: string, prefix: string, timeoutMs: number): Promise<string> {
    this.send(line);
    const reply = await this.expect([prefix + " ", "ERROR "], timeoutMs);
    if (reply.startsWith("ERROR ")) throw new ChildProcessError(`${this.name}: ${reply.slice(6)}`, "CHILD_ERROR");
    return reply.slice(prefix.length + 1);
  }

  #line(line: string): void {
    const waiter = this.#waiters.find((w) => w.prefixes.some((p) => line.startsWith(p)));
    if (waiter === undefined) return; // library chatter on stdout
    this.#remove(waiter);
    waiter.resolve(line);
  }

  #remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const index = this.#waiters.indexOf(waiter);
    if (index >= 0) this.#waiters.splice(index, 1);
  }

  #exitError(): ChildProcessError {
    const stderr = this.#stderrTail();
    return new ChildProcessError(
      `${this.name} exited (${this.#exit ?? "?"})${stderr === "" ? "" : ": " + stderr.split("\n").slice(-5).join(" | ")}`,
      "CHILD_EXITED",
    );
  }

  #fail(error: Error): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}

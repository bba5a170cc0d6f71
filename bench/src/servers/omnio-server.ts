/**
 * Target `omnio`: `@omnio/server` running the same benchmark application as the `socketio`
 * target. If the package cannot be loaded (not written or not built yet) this prints
 * `UNAVAILABLE <reason>` and exits with {@link EXIT_UNAVAILABLE}, and the runner skips the target.
 */
import { EXIT_UNAVAILABLE } from "../messages.js";
import { runSocketIoLikeServer, type ServerLikeClass } from "./socketio-like-app.js";

/**
 * Held in a variable so that `tsc` does not try to resolve the package at build time: the bench
 * must build before `@omnio/server` has types or output.
 */
const specifier: string = "@omnio/server";

async function loadServerClass(): Promise<ServerLikeClass | string> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    return `cannot import ${specifier}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const Server = typeof loaded === "object" && loaded !== null ? (loaded as { Server?: unknown }).Server : undefined;
  if (typeof Server !== "function") return `${specifier} does not export a Server class`;
  // A runtime check cannot prove the constructor's signature; the benchmark itself does.
  return Server as ServerLikeClass;
}

const ServerClass = await loadServerClass();
if (typeof ServerClass === "string") {
  process.stdout.write(`UNAVAILABLE ${ServerClass.replace(/\s+/g, " ")}\n`);
  process.exit(EXIT_UNAVAILABLE);
}
await runSocketIoLikeServer(ServerClass);

/**
 * `npm start`: the status server on `PORT` (default 3000) and `HOST` (default 0.0.0.0).
 * SIGINT / SIGTERM close it cleanly (`io.close()`: clients are disconnected first).
 */
import { start } from "./status-server.js";

function parsePort(text: string | undefined): number {
  if (text === undefined || text === "") return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer from 0 to 65535, not "${text}".`);
    process.exit(2);
  }
  return port;
}

const server = await start({ port: parsePort(process.env.PORT), host: process.env.HOST || "0.0.0.0" });
console.log(`omnio status server: ${server.url} (JSON at ${server.url}status.json)`);

let closing = false;
function shutdown(signal: NodeJS.Signals): void {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

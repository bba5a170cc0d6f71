/**
 * `npm start`: the chat on http://localhost:3000. `PORT` and `HOST` change where it listens
 * (`HOST=0.0.0.0` to let other machines in). SIGINT / SIGTERM close it cleanly.
 */
import { start } from "./server.js";

function parsePort(text: string | undefined): number {
  if (text === undefined || text === "") return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer from 0 to 65535, not "${text}".`);
    process.exit(2);
  }
  return port;
}

const chat = await start({ port: parsePort(process.env.PORT), host: process.env.HOST || "localhost" });
console.log(`omnio chat: open ${chat.url} (in two windows to talk to yourself)`);

let closing = false;
function shutdown(signal: NodeJS.Signals): void {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  chat.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

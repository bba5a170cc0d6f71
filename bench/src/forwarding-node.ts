/**
 * A node of the forwarding benchmark (run by `forwarding.ts`): omnio with `enableForwarding`,
 * an `echo` event with ack, and `GET /cpu` answering this process's CPU time in µs.
 * argv: nodeId port peersJson
 */
import { createServer } from "node:http";
import { Server } from "@omnio/server";
import { enableForwarding } from "@omnio/cluster";

const [nodeId = "a", port = "0", peers = "{}"] = process.argv.slice(2);
const http = createServer((req, res) => {
  if (req.url === "/cpu") {
    const u = process.cpuUsage();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ cpu: u.user + u.system }));
    return;
  }
  res.writeHead(404);
  res.end();
});
const io = new Server(http, { serveClient: false, pingInterval: 60000, pingTimeout: 60000 });
enableForwarding(io, { nodeId, peers: JSON.parse(peers) as Record<string, string>, secret: "bench-secret-0123456789" });
io.on("connection", (socket) => socket.on("echo", (x: unknown, ack: (r: unknown) => void) => ack(x)));
http.listen(Number(port), "127.0.0.1", () => console.log("ready"));

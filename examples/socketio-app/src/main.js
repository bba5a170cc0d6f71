// Command-line entry. The server library is the one thing chosen here:
//   node src/main.js                                  # socket.io
//   SOCKET_SERVER=@omnio/server node src/main.js      # omnio
const { Server } = await import(process.env.SOCKET_SERVER ?? "socket.io");
const { createApp } = await import("./app.js");

const app = createApp(Server);
const { address, port } = await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "0.0.0.0");
console.log(`socketio-app on ${process.env.SOCKET_SERVER ?? "socket.io"}: http://${address}:${port}/`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    void app.close().then(() => process.exit(0));
  });
}

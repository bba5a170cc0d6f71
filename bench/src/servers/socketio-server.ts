/** Target `socketio`: the official socket.io 4.8.4 server running the benchmark application. */
import { Server } from "socket.io";
import { runSocketIoLikeServer } from "./socketio-like-app.js";

await runSocketIoLikeServer(Server);

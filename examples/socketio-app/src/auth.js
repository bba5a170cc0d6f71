// Token authentication, shared by every namespace: a socket.io connection middleware.
// A real app would verify a JWT or a session cookie; the demo keeps a fixed token table.

/** Demo users, by token. `admin` may kick people out of rooms. */
export const DEMO_USERS = Object.freeze({
  "alice-token": { id: "u1", name: "alice", admin: true },
  "bob-token": { id: "u2", name: "bob", admin: false },
  "carol-token": { id: "u3", name: "carol", admin: false },
});

/**
 * Returns a middleware for `io.use()` / `namespace.use()`. It reads `auth.token` from the
 * handshake (`io(url, { auth: { token } })` on the client) and stores the user in
 * `socket.data.user`, where `fetchSockets()` can see it too.
 *
 * A refused connection reaches the client as a `connect_error` whose `message` is the
 * error's message and whose `data` is the error's `data`.
 */
export function authenticate(users = DEMO_USERS) {
  return (socket, next) => {
    const token = socket.handshake.auth.token;
    if (typeof token !== "string" || token === "") {
      const err = new Error("authentication required");
      err.data = { code: "NO_TOKEN", hint: "connect with io(url, { auth: { token } })" };
      return next(err);
    }
    const user = Object.hasOwn(users, token) ? users[token] : undefined;
    if (!user) {
      const err = new Error("invalid token");
      err.data = { code: "INVALID_TOKEN", hint: "ask an admin for a new token" };
      return next(err);
    }
    socket.data.user = { id: user.id, name: user.name, admin: user.admin };
    next();
  };
}

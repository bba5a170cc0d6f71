// The demo server (`npm start` at the repository root serves it on port 3000). On a phone, use
// your computer's LAN address; a released mini program needs a whitelisted wss:// domain.
export const SERVER_URL = "http://localhost:3000";
export const ROOM = "general";

// The demo server (`npm start` at the repository root serves it on port 3000).
module.exports = {
  SERVER_URL: "http://localhost:3000",
  ROOM: "general",
};

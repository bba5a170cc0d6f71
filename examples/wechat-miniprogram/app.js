// The app: where the chat server is. The DevTools simulator reaches your computer's localhost;
// a phone (preview / real-device debugging) needs your computer's LAN address, and a release
// build needs a wss:// domain added to the mini program's "socket" and "request" whitelists.
const { SERVER_URL } = require("./utils/config.js");

App({
  globalData: { serverUrl: SERVER_URL },
});

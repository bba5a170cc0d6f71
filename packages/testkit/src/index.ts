export { requireProgram, which, type ProgramNeed } from "./program.js";
export { findChromium, CHROMIUM_ARGS, type PlaywrightLike } from "./chromium.js";
export { freePort } from "./ports.js";
export { spawnRedisServer } from "./redis-server.js";
export { once, sleep } from "./events.js";

/** The servers under test. Each runs as its own process from `servers/`. */

export type TargetName = "socketio" | "omnio" | "ws";

export interface TargetSpec {
  readonly name: TargetName;
  /** Shown in the report. */
  readonly title: string;
  /** Compiled server script, relative to this file. */
  readonly script: URL;
}

export const TARGETS: readonly TargetSpec[] = Object.freeze([
  { name: "socketio", title: "socket.io 4.8.4", script: new URL("./servers/socketio-server.js", import.meta.url) },
  { name: "omnio", title: "omnio (@omnio/server)", script: new URL("./servers/omnio-server.js", import.meta.url) },
  { name: "ws", title: "raw ws 8.23.0 baseline", script: new URL("./servers/ws-server.js", import.meta.url) },
]);

export function isTargetName(name: string): name is TargetName {
  return TARGETS.some((t) => t.name === name);
}

/** `io()` bound to the browser platform; the URL defaults to the page's origin. */
import { createIo, type IoFunction, type IoOptions } from "../../socketio/lookup.js";
import { createBrowserPlatform } from "./browser-platform.js";

interface LocationLike {
  protocol: string;
  host: string;
}

function pageUrl(uri?: string): string | undefined {
  const location = (globalThis as { location?: LocationLike }).location;
  if (location === undefined) return uri;
  const origin = `${location.protocol}//${location.host}`;
  if (uri === undefined) return origin;
  if (uri.startsWith("//")) return location.protocol + uri;
  if (uri.startsWith("/")) return origin + uri;
  return uri;
}

const ioAt = createIo(() => createBrowserPlatform(), pageUrl);

/**
 * Connects to a Socket.IO server from a page or a worker; relative URLs (`"/chat"`) resolve
 * against `location`, and no URL (`io()`, `io(options)`, `io(undefined, options)`) means the
 * page's origin, as in socket.io-client.
 *
 * @example
 * import { io } from "@omnio/client/browser";
 * const socket = io("/chat");
 */
export const io: IoFunction = (uriOrOptions?: string | IoOptions, options?: IoOptions) =>
  typeof uriOrOptions === "string" ? ioAt(pageUrl(uriOrOptions), options) : ioAt(uriOrOptions ?? options);

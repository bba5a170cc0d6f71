/**
 * Shared helpers of the protocol tests: a `ProtocolError` assertion and the fast-check
 * arbitraries (JSON values, optionally with binary leaves; Socket.IO and Engine.IO packets).
 * Not a test file itself (the runner only picks `*.test.js`).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ENGINE_PACKET_TYPES,
  PacketType,
  ProtocolError,
  RESERVED_EVENTS,
  type EnginePacket,
  type ProtocolErrorCode,
  type SocketPacket,
} from "@omnio/protocol";

/** Asserts that `fn` throws a `ProtocolError` with the given stable `code`. */
export function assertProtocolError(fn: () => unknown, code: ProtocolErrorCode): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProtocolError, `expected a ProtocolError, got ${String(err)}`);
    assert.equal(err.code, code, `expected code ${code}, got ${err.code} (${err.message})`);
    assert.equal(err.name, "ProtocolError");
    return true;
  });
}

/** Runs `fn`; anything thrown other than a `ProtocolError` fails the test. */
export function onlyProtocolErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
  }
}

/** Bytes as a plain array of numbers, for readable vectors. */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Any UTF-16 code unit, lone surrogates included. */
export const utf16Unit: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings of every flavour: ASCII-ish, full Unicode, and raw UTF-16 (lone surrogates). */
export const anyString = (maxLength = 12): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: utf16Unit, maxLength }),
  );

/** Object keys, with the prototype-sensitive ones mixed in. */
const jsonKey = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty") },
);

/** A number that survives `JSON.stringify`/`JSON.parse` unchanged (no NaN, no infinities, no -0). */
const jsonNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
);

const jsonLeaf = fc.oneof(fc.constant(null), fc.boolean(), jsonNumber, anyString());

/**
 * A JSON-compatible value; with `withBinary`, `Uint8Array` leaves appear anywhere in it
 * (what a user may hand to `emit`).
 */
export function payloadValue(withBinary: boolean): fc.Arbitrary<unknown> {
  const leaf: fc.Arbitrary<unknown> = withBinary
    ? fc.oneof({ weight: 4, arbitrary: jsonLeaf }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) })
    : jsonLeaf;
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth: 4 },
      leaf,
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(jsonKey, tie("value"), { maxKeys: 4, noNullPrototype: true }),
    ),
  }));
  return value;
}

/** A plain JSON object (CONNECT payloads, CONNECT_ERROR objects). */
export const jsonObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(jsonKey, payloadValue(false), {
  maxKeys: 4,
  noNullPrototype: true,
});

/** A namespace: `/`, or `/` followed by anything without a comma. */
export const namespace: fc.Arbitrary<string> = fc.oneof(
  fc.constant("/"),
  anyString(10)
    .filter((s) => !s.includes(","))
    .map((s) => "/" + s),
);

/** An ack id the decoder accepts (at most 15 digits). */
export const ackId: fc.Arbitrary<number> = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.integer({ min: 0, max: 999_999_999_999_999 }),
);

const eventName: fc.Arbitrary<string | number> = fc.oneof(
  anyString().filter((s) => !RESERVED_EVENTS.has(s)),
  fc.constantFrom("message", "error", "chat message", "hasOwnProperty", "__proto__"),
  jsonNumber,
);

function withOptional<T extends object>(base: T, key: string, value: unknown): T {
  return value === undefined ? base : { ...base, [key]: value };
}

/**
 * A packet as an application would hand it to `encodePacket`: EVENT and ACK payloads may
 * hold binary anywhere (they then travel as BINARY_EVENT / BINARY_ACK).
 */
export const socketPacket: fc.Arbitrary<SocketPacket> = fc.oneof(
  fc
    .record({ nsp: namespace, data: fc.option(jsonObject, { nil: undefined }) })
    .map(({ nsp, data }) => withOptional<SocketPacket>({ type: PacketType.CONNECT, nsp }, "data", data)),
  namespace.map((nsp): SocketPacket => ({ type: PacketType.DISCONNECT, nsp })),
  fc
    .record({
      nsp: namespace,
      id: fc.option(ackId, { nil: undefined }),
      name: eventName,
      args: fc.array(payloadValue(true), { maxLength: 4 }),
    })
    .map(({ nsp, id, name, args }) =>
      withOptional<SocketPacket>({ type: PacketType.EVENT, nsp, data: [name, ...args] }, "id", id),
    ),
  fc
    .record({ nsp: namespace, id: ackId, args: fc.array(payloadValue(true), { maxLength: 4 }) })
    .map(({ nsp, id, args }): SocketPacket => ({ type: PacketType.ACK, nsp, id, data: args })),
  fc
    .record({ nsp: namespace, data: fc.oneof(anyString(), jsonObject) })
    .map(({ nsp, data }): SocketPacket => ({ type: PacketType.CONNECT_ERROR, nsp, data })),
);

/** Non-empty string data (an empty one decodes as "no data", as in engine.io-parser). */
function engineText(unit?: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  const text = unit === undefined ? anyString(16) : fc.string({ unit, maxLength: 16 });
  return fc.option(
    text.filter((s) => s.length > 0),
    { nil: undefined },
  );
}

/**
 * Engine.IO packets: text packets of any type, binary only as `message` (v4 has no type for
 * binary). `unit` restricts the characters of text data.
 */
export function enginePacket(
  options: { unit?: fc.Arbitrary<string>; binaryTypes?: boolean } = {},
): fc.Arbitrary<EnginePacket> {
  const type = fc.constantFrom(...ENGINE_PACKET_TYPES);
  const binaryType = options.binaryTypes ? type : fc.constant("message" as const);
  return fc.oneof(
    fc
      .record({ type, data: engineText(options.unit) })
      .map(({ type, data }) => withOptional<EnginePacket>({ type }, "data", data)),
    fc.record({ type: binaryType, data: fc.uint8Array({ maxLength: 24 }) }, { noNullPrototype: true }),
  );
}

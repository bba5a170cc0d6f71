/**
 * `validateDecodedPacket` (reference §1.10 "Payload validation … Exported `isPacketValid(packet)`
 * for custom parsers"): what a custom decoder emits is held to the built-in decoder's rules.
 * Every packet the built-in decoder accepts passes unchanged; everything else is a
 * `ProtocolError` with the built-in decoder's code.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  PacketType,
  ProtocolError,
  SocketDecoder,
  decodePacketText,
  encodePacket,
  validateDecodedPacket,
  type SocketPacket,
} from "@omnio/protocol";
import { assertProtocolError, onlyProtocolErrors, socketPacket } from "./support.js";

function nest(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

describe("validateDecodedPacket", () => {
  test("accepts every packet shape of the protocol, returning only type, nsp, data and id", () => {
    const bin = new Uint8Array([1, 2]);
    for (const packet of [
      { type: 0, nsp: "/" },
      { type: 0, nsp: "/admin", data: { token: "x" } },
      { type: 1, nsp: "/" },
      { type: 2, nsp: "/", data: ["ev"] },
      { type: 2, nsp: "/", data: [7, "numbered"], id: 0 },
      { type: 2, nsp: "/", data: ["error", "legal"] },
      { type: 2, nsp: "/", data: ["bin", bin, { deep: [bin.buffer] }], id: Number.MAX_SAFE_INTEGER },
      { type: 3, nsp: "/", data: [], id: 4 },
      { type: 4, nsp: "/", data: "refused" },
      { type: 4, nsp: "/", data: { message: "refused" } },
      { type: 5, nsp: "/", data: ["bin", bin] },
      { type: 6, nsp: "/", data: [bin], id: 1 },
      { type: 2, nsp: "/", data: ["deep", nest(999)] },
    ]) {
      const out = validateDecodedPacket({ ...packet, options: { compress: true }, attachments: 99 });
      assert.deepEqual(out, packet);
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
    }
  });

  test("refuses what the built-in decoder refuses, with its codes", () => {
    const cases: Array<[unknown, string]> = [
      [null, "INVALID_PACKET"],
      [42, "INVALID_PACKET"],
      ["42[]", "INVALID_PACKET"],
      [{ type: 7, nsp: "/" }, "INVALID_PACKET_TYPE"],
      [{ type: -1, nsp: "/" }, "INVALID_PACKET_TYPE"],
      [{ type: 2.5, nsp: "/" }, "INVALID_PACKET_TYPE"],
      [{ type: "2", nsp: "/", data: ["x"] }, "INVALID_PACKET_TYPE"],
      [{ type: 2, data: ["x"] }, "INVALID_NAMESPACE"],
      [{ type: 2, nsp: 1, data: ["x"] }, "INVALID_NAMESPACE"],
      [{ type: 2, nsp: "", data: ["x"] }, "INVALID_NAMESPACE"],
      [{ type: 2, nsp: "admin", data: ["x"] }, "INVALID_NAMESPACE"],
      [{ type: 2, nsp: "/", data: ["x"], id: -1 }, "INVALID_ACK_ID"],
      [{ type: 2, nsp: "/", data: ["x"], id: 1.5 }, "INVALID_ACK_ID"],
      [{ type: 2, nsp: "/", data: ["x"], id: 2 ** 53 }, "INVALID_ACK_ID"],
      [{ type: 2, nsp: "/", data: ["x"], id: "1" }, "INVALID_ACK_ID"],
      [{ type: 2, nsp: "/", data: ["x"], id: null }, "INVALID_ACK_ID"],
      [{ type: 0, nsp: "/", data: "auth" }, "INVALID_PAYLOAD"],
      [{ type: 0, nsp: "/", data: null }, "INVALID_PAYLOAD"],
      [{ type: 0, nsp: "/", data: [] }, "INVALID_PAYLOAD"],
      [{ type: 1, nsp: "/", data: {} }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/" }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: [] }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: [{ toString: "x" }] }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: "x" }, "INVALID_PAYLOAD"],
      [{ type: 3, nsp: "/", data: {} }, "INVALID_PAYLOAD"],
      [{ type: 4, nsp: "/", data: 5 }, "INVALID_PAYLOAD"],
      [{ type: 4, nsp: "/" }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: ["x", nest(1001)] }, "INVALID_PAYLOAD"],
      [{ type: 3, nsp: "/", data: [{ a: nest(1000) }] }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: ["disconnect"] }, "RESERVED_EVENT"],
      [{ type: 5, nsp: "/", data: ["newListener", new Uint8Array(1)] }, "RESERVED_EVENT"],
    ];
    for (const [raw, code] of cases) {
      assertProtocolError(() => validateDecodedPacket(raw), code as never);
    }
  });

  test("depth limit matches the built-in decoder's", () => {
    // The built-in decoder counts the outer array; so does the validator.
    for (const depth of [999, 1000, 1001]) {
      const data = ["x", nest(depth - 1)];
      const text = "2" + JSON.stringify(data);
      let builtin = true;
      try {
        decodePacketText(text);
      } catch {
        builtin = false;
      }
      let custom = true;
      try {
        validateDecodedPacket({ type: 2, nsp: "/", data });
      } catch {
        custom = false;
      }
      assert.equal(custom, builtin, `depth ${depth}`);
    }
  });

  test("a getter that throws is a ProtocolError with the cause kept", () => {
    const cause = new Error("getter");
    const raw = {
      type: 2,
      get nsp(): string {
        throw cause;
      },
    };
    assert.throws(
      () => validateDecodedPacket(raw),
      (err: unknown) => err instanceof ProtocolError && err.code === "INVALID_PACKET" && err.cause === cause,
    );
  });

  test("every packet the built-in codec round-trips passes unchanged (property)", () => {
    fc.assert(
      fc.property(socketPacket, (packet) => {
        const decoder = new SocketDecoder();
        let decoded: SocketPacket | undefined;
        for (const frame of encodePacket(packet)) decoded = decoder.add(frame);
        assert.ok(decoded);
        assert.deepEqual(validateDecodedPacket(decoded), decoded);
      }),
    );
  });

  test("arbitrary values only ever raise ProtocolError (property)", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.anything()),
            nsp: fc.anything(),
            data: fc.anything(),
            id: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        (raw) => onlyProtocolErrors(() => validateDecodedPacket(raw)),
      ),
    );
    assert.equal(validateDecodedPacket({ type: PacketType.DISCONNECT, nsp: "/" }).type, 1);
  });
});

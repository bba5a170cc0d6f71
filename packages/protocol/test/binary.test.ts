/**
 * Binary detection and the placeholder scheme of BINARY_EVENT / BINARY_ACK (reference
 * §1.10; socket.io-protocol v5 spec "Packet encoding").
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PacketType, deconstructPayload, encodePacket, hasBinary, isBinary, reconstructPayload } from "@omnio/protocol";
import { assertProtocolError, bytes, payloadValue } from "./support.js";

const ph = (num: number) => ({ _placeholder: true, num });

describe("isBinary", () => {
  test("every binary type the parser recognises", () => {
    const buffer = new ArrayBuffer(4);
    for (const value of [
      buffer,
      new Uint8Array(buffer),
      new Int32Array(1),
      new Float64Array(2),
      new DataView(buffer),
      Buffer.from("hi"),
      new Blob(["hi"]),
      new Uint8Array(0),
    ]) {
      assert.equal(isBinary(value), true, Object.prototype.toString.call(value));
    }
  });

  test("nothing else", () => {
    for (const value of [
      null,
      undefined,
      0,
      "AQID",
      [1, 2],
      { length: 2, 0: 1, 1: 2 },
      { byteLength: 4 },
      new Date(),
      () => 1,
    ]) {
      assert.equal(isBinary(value), false, Object.prototype.toString.call(value));
    }
  });
});

describe("hasBinary", () => {
  test("finds binary at any depth", () => {
    assert.equal(hasBinary(bytes(1)), true);
    assert.equal(hasBinary(["a", { b: [1, { c: new ArrayBuffer(1) }] }]), true);
    assert.equal(hasBinary({ a: { b: { c: "d" } } }), false);
    assert.equal(hasBinary(["a", 1, null, true, "x"]), false);
    assert.equal(hasBinary(undefined), false);
    assert.equal(hasBinary("AQID"), false);
  });

  test("ignores inherited properties", () => {
    const proto = { inherited: bytes(1) };
    assert.equal(hasBinary(Object.create(proto) as object), false);
  });

  test("follows toJSON once, like socket.io-parser", () => {
    assert.equal(hasBinary({ toJSON: () => ["x", bytes(1)] }), true);
    assert.equal(hasBinary({ toJSON: () => ({ toJSON: () => bytes(1) }) }), false);
    assert.equal(hasBinary({ toJSON: () => "plain" }), false);
  });
});

describe("deconstructPayload / reconstructPayload", () => {
  test("placeholders are numbered depth first", () => {
    const a = bytes(1);
    const b = bytes(2);
    const c = bytes(3);
    const { data, attachments } = deconstructPayload(["ev", { x: [a, { y: b }] }, c]);
    assert.deepEqual(data, ["ev", { x: [ph(0), { y: ph(1) }] }, ph(2)]);
    assert.equal(attachments.length, 3);
    assert.equal(attachments[0], a);
    assert.equal(attachments[1], b);
    assert.equal(attachments[2], c);
  });

  test("the input is not mutated; dates and primitives pass through", () => {
    const when = new Date(0);
    const input = { when, list: [bytes(1), "s", 1, null, true] };
    const { data } = deconstructPayload(input);
    assert.ok(input.list[0] instanceof Uint8Array);
    assert.equal((data as { when: Date }).when, when);
    assert.deepEqual((data as { list: unknown[] }).list, [ph(0), "s", 1, null, true]);
    assert.deepEqual(deconstructPayload("x"), { data: "x", attachments: [] });
  });

  test("an own __proto__ key stays an own key", () => {
    const input = JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    input["b"] = bytes(1);
    const { data } = deconstructPayload(input);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.keys(data as object), ["__proto__", "b"]);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  });

  test("reconstruction works in place and returns attachments as given", () => {
    const a = bytes(7);
    const data = ["ev", { k: ph(0) }];
    const out = reconstructPayload(data, [a]);
    assert.equal(out, data);
    assert.equal((data[1] as { k: unknown }).k, a);
    assert.equal(reconstructPayload(ph(0), [a]), a);
    assert.equal(reconstructPayload("x", []), "x");
    assert.equal(reconstructPayload(null, []), null);
  });

  test("a bad placeholder index throws INVALID_PLACEHOLDER", () => {
    for (const num of [1, -1, 0.5, "0", "splice", null, undefined, Infinity, NaN]) {
      assertProtocolError(() => reconstructPayload([{ _placeholder: true, num }], [bytes(1)]), "INVALID_PLACEHOLDER");
    }
    assertProtocolError(() => reconstructPayload([{ _placeholder: true }], [bytes(1)]), "INVALID_PLACEHOLDER");
    assertProtocolError(() => reconstructPayload([ph(0)], []), "INVALID_PLACEHOLDER");
  });

  test("absurd nesting is refused, not a stack overflow", () => {
    let deep: unknown = ph(0);
    for (let i = 0; i < 5000; i++) deep = [deep];
    assertProtocolError(() => reconstructPayload(deep, [bytes(1)]), "INVALID_PAYLOAD");
    let fine: unknown = ph(0);
    for (let i = 0; i < 500; i++) fine = { k: fine };
    assert.doesNotThrow(() => reconstructPayload(fine, [bytes(1)]));
  });

  test("deconstruct then reconstruct is the identity (property based)", () => {
    fc.assert(
      fc.property(payloadValue(true), (value) => {
        const { data, attachments } = deconstructPayload(value);
        assert.equal(hasBinary(data), false);
        assert.equal(attachments.length > 0, hasBinary(value));
        const copy = JSON.parse(JSON.stringify(data)) as unknown;
        assert.deepEqual(reconstructPayload(copy, attachments), value);
      }),
      { numRuns: 500 },
    );
  });
});

describe("encodePacket and binary types", () => {
  test("ArrayBuffer, typed arrays, DataView and Buffer all become attachments", () => {
    const values = [new ArrayBuffer(2), new Uint16Array(1), new DataView(new ArrayBuffer(1)), Buffer.from([1])];
    const [text, ...attachments] = encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["ev", ...values] });
    assert.equal(text, '54-["ev",' + [0, 1, 2, 3].map((n) => JSON.stringify(ph(n))).join(",") + "]");
    assert.equal(attachments.length, 4);
    attachments.forEach((a, i) => assert.equal(a, values[i]));
  });

  test("binary in CONNECT or CONNECT_ERROR is not converted (only EVENT and ACK carry binary)", () => {
    const [text, ...rest] = encodePacket({ type: PacketType.CONNECT, nsp: "/", data: { b: bytes(1) } });
    assert.equal(text, '0{"b":{"0":1}}');
    assert.equal(rest.length, 0);
  });
});

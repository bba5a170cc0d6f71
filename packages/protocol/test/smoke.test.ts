import { test } from "node:test";
import assert from "node:assert/strict";
import { SocketDecoder, encodePacket, PacketType } from "@omnio/protocol";

test("encodes and decodes an event", () => {
  const [text] = encodePacket({ type: PacketType.EVENT, nsp: "/admin", id: 12, data: ["hey", "Jude"] });
  assert.equal(text, '2/admin,12["hey","Jude"]');
  const packet = new SocketDecoder().add(text);
  assert.deepEqual(packet, { type: 2, nsp: "/admin", id: 12, data: ["hey", "Jude"] });
});

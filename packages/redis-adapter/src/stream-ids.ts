/** Redis stream entry ids (`<ms>-<seq>`), the recovery offsets of the streams mode. */

const ID = /^\d{1,20}-\d{1,20}$/;

/** Whether `value` looks like a stream id (bad client input is refused before reaching Redis). */
export function isStreamId(value: string): boolean {
  return ID.test(value);
}

/** Orders two stream ids: negative, zero or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [am = "0", as = "0"] = a.split("-");
  const [bm = "0", bs = "0"] = b.split("-");
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

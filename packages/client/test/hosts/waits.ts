/**
 * Waits for the mini-program example tests (examples/taro, uniapp, wechat-miniprogram import
 * them from `packages/client/dist-test/hosts/waits.js`, next to the simulated hosts they drive).
 */

/** Polls `predicate` every 10 ms; fails naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `promise`, or a failure after `ms`: a lost message fails the test instead of hanging it. */
export function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

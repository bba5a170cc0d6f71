import { requireProgram } from "./program.js";

/** Flags this machine's sandbox needs (loopback only, running as root, no GPU). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The parts of playwright-core's API the tests use (imported by name, so no types are needed). */
export interface PlaywrightLike {
  chromium: {
    launch(o: { executablePath: string; headless: boolean; args: string[] }): Promise<unknown>;
  };
}

/**
 * Debian's Chromium plus playwright-core, or a skip reason. Throws under CI=true when either is
 * missing. `launch()` starts a headless browser; the caller closes it.
 */
export async function findChromium(what: string): Promise<{
  skip: string | undefined;
  launch: <B = unknown>() => Promise<B>;
}> {
  const program = requireProgram({ name: "chromium", install: "apt-get install -y chromium", what }, [
    "/usr/bin",
    "/usr/lib/chromium",
  ]);
  let playwright: PlaywrightLike | undefined;
  if (program.path) {
    const name = "playwright-core";
    try {
      playwright = (await import(name)) as PlaywrightLike;
    } catch {
      const why = `${what} need the playwright-core devDependency (run npm install)`;
      if (process.env["CI"] === "true") throw new Error(`CI=true: ${why}`);
      console.warn(`\n!!!!!!!! SKIPPED: ${why} !!!!!!!!\n`);
      return { skip: why, launch: () => Promise.reject(new Error(why)) };
    }
  }
  const path = program.path;
  return {
    skip: program.skip,
    launch: async <B>() => {
      if (!path || !playwright) throw new Error(program.skip ?? "chromium unavailable");
      return (await playwright.chromium.launch({
        executablePath: path,
        headless: true,
        args: [...CHROMIUM_ARGS],
      })) as B;
    },
  };
}

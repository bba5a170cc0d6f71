import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** How to get a program a test needs, shown when it is missing. */
export interface ProgramNeed {
  /** Executable name looked up on PATH (or an absolute path). */
  name: string;
  /** The command a person runs to install it, e.g. "apt-get install -y redis-server". */
  install: string;
  /** What is skipped without it, for the message. */
  what: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name` on PATH (or `name` itself when absolute), or undefined. */
export function which(name: string, extraDirs: readonly string[] = []): string | undefined {
  if (name.startsWith("/")) return executable(name) ? name : undefined;
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a system program a test needs. Returns its path, or a skip reason when it is missing.
 * Under `CI=true` a missing program throws: CI installs everything (`.ci/run`), so a missing
 * program there is a broken install, never a skip. On a person's machine the skip is announced
 * loudly with the install command.
 *
 *   const redis = requireProgram({ name: "redis-server", install: "apt-get install -y redis-server", what: "Redis adapter tests" });
 *   test("...", { skip: redis.skip ?? false }, async () => { spawn(redis.path!, ...) });
 */
export function requireProgram(
  need: ProgramNeed,
  extraDirs: readonly string[] = [],
): { path: string | undefined; skip: string | undefined } {
  const path = which(need.name, extraDirs);
  if (path) return { path, skip: undefined };
  const why = `${need.what} need \`${need.name}\`, which is not installed (install it with: ${need.install})`;
  if (process.env["CI"] === "true") throw new Error(`CI=true and a required program is missing: ${why}`);
  console.warn(`\n!!!!!!!! SKIPPED: ${why} !!!!!!!!\n`);
  return { path: undefined, skip: why };
}

/** The load generator process, driven one command at a time. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildRegistry } from "./child-registry.js";
import { placeCommand, type BenchEnvironment } from "./environment.js";
import { LineChannel } from "./line-channel.js";
import type {
  BroadcastCommand,
  BroadcastResult,
  CloseCommand,
  ConnectCommand,
  ConnectResult,
  CountResult,
  EchoCommand,
  EchoResult,
  LoadgenCommand,
  PauseCommand,
} from "./messages.js";
import { stopChild } from "./server-handle.js";

const SCRIPT = new URL("./loadgen/main.js", import.meta.url);
const START_TIMEOUT_MS = 15_000;
/** Margin on top of a command's own duration before the runner gives up on its reply. */
const REPLY_MARGIN_MS = 60_000;

export class LoadgenHandle {
  private constructor(readonly channel: LineChannel) {}

  static async start(url: string, env: BenchEnvironment, registry: ChildRegistry): Promise<LoadgenHandle> {
    const placed = placeCommand(env, "loadgen", [fileURLToPath(SCRIPT), "--url", url]);
    const child = spawn(placed.command, placed.args, { stdio: ["pipe", "pipe", "pipe"] });
    registry.add(child);
    const channel = new LineChannel("load generator", child);
    try {
      await channel.expect(["READY"], START_TIMEOUT_MS);
      return new LoadgenHandle(channel);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  run(command: ConnectCommand): Promise<ConnectResult>;
  run(command: EchoCommand): Promise<EchoResult>;
  run(command: BroadcastCommand): Promise<BroadcastResult>;
  run(command: PauseCommand | CloseCommand): Promise<CountResult>;
  async run(command: LoadgenCommand): Promise<unknown> {
    const seconds = "seconds" in command ? command.seconds : 0;
    const reply = await this.channel.request(JSON.stringify(command), "RESULT", seconds * 1000 + REPLY_MARGIN_MS);
    return JSON.parse(reply) as unknown;
  }

  /**
   * Kills the generator: its results are already in, and closing thousands of sockets one by one
   * only costs time (the server is stopped right after).
   */
  async stop(): Promise<void> {
    await stopChild(this.channel, undefined, 0);
  }
}

/** Progress bars on stderr for long work (only on a terminal and never with --json). */
import { SingleBar, Presets } from "cli-progress";
import type { GlobalOptions } from "./output.ts";

/** A progress reporter: `update(phase, done, total)`, then `stop()`. */
export interface Progress {
  update(phase: string, done: number, total: number): void;
  stop(): void;
}

/** A progress bar on stderr, or a no-op when not on a terminal or with --json. */
export function progress(g: GlobalOptions): Progress {
  if (g.json === true || process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { stream: process.stderr, format: "{phase} [{bar}] {value}/{total}", hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  let phase = "";
  return {
    update(p, done, total) {
      if (!started) {
        bar.start(total, done, { phase: p.padEnd(9) });
        started = true;
      } else if (p !== phase) {
        bar.setTotal(total);
      }
      phase = p;
      bar.update(done, { phase: p.padEnd(9) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

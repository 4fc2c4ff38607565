/**
 * `npm run build:web` (and the `prepare` script of `npm install`): builds the
 * web portal into web/dist when its inputs changed (`--force` always builds).
 * `medchain start` makes the same check, so a clean clone needs no extra step.
 */
import { ensureWebBuild } from "../src/node/web/webBuild.ts";

const r = await ensureWebBuild({ force: process.argv.includes("--force"), log: (m) => console.error(m) });
console.error(
  r.status === "built"
    ? `web portal built in ${(r.ms / 1000).toFixed(1)}s (web/dist)`
    : "web portal is up to date (web/dist)",
);

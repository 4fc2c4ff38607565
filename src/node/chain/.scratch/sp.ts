import { spawnAnvil } from "../anvilProcess.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
for (let i = 0; i < 3; i++) {
  const dir = mkdtempSync(join(tmpdir(), "mc-sp-"));
  const t = performance.now();
  const a = await spawnAnvil({ chainDir: dir, args: ["--port", "0", "--host", "127.0.0.1", "--cache-path", join(dir, "c")], log: console.log });
  console.log("spawnAnvil", performance.now() - t);
  await a.stop();
}

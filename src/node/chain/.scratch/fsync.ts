import { open } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
for (const base of [tmpdir(), "/work/main/src/node/chain/.scratch"]) {
  const dir = mkdtempSync(join(base, "fs-"));
  const fh = await open(join(dir, "j"), "a");
  const t = performance.now();
  for (let i = 0; i < 100; i++) { await fh.write("x".repeat(300) + "\n"); await fh.datasync(); }
  console.log(base, "append+datasync ms", (performance.now() - t) / 100);
  await fh.close();
}

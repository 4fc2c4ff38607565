import { open } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
for (let r = 0; r < 2; r++)
for (const base of [tmpdir(), "/work/main/src/node/chain/.scratch", "/dev/shm"]) {
  const dir = mkdtempSync(join(base, "fs-"));
  const fh = await open(join(dir, "j"), "a");
  let t = performance.now();
  for (let i = 0; i < 200; i++) { await fh.write("x".repeat(600) + "\n"); await fh.datasync(); }
  const a = (performance.now() - t) / 200;
  t = performance.now();
  for (let i = 0; i < 200; i++) { await fh.write("x".repeat(600) + "\n"); await fh.sync(); }
  console.log(base, "write+datasync", a.toFixed(2), "write+fsync", ((performance.now() - t) / 200).toFixed(2));
  await fh.close();
}

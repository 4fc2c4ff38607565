import assert from "node:assert/strict";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { JournalWriter, journalLine, readJournal } from "./journal.ts";
import type { JournalBlock } from "./journal.ts";
import { tempDataDir } from "./testing/helpers.ts";

const h = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const block = (n: number, txs = 1): JournalBlock => ({
  blockNumber: n,
  timestamp: 1_800_000_000 + n,
  blockHash: h(1000 + n),
  txs: Array.from({ length: txs }, (_, i) => ({ hash: h(n * 10 + i), raw: "0x02f86c" as Hex })),
});

test("journal: append, read back, and an absent file is an empty journal", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const path = join(dir, "journal.ndjson");
  assert.deepEqual(await readJournal(path), { blocks: [], txCount: 0, tornBytes: 0 });
  const w = await JournalWriter.open(path);
  await w.append([block(1), block(2, 0)]);
  await w.append([block(3, 3)]);
  await w.close();
  const j = await readJournal(path);
  assert.deepEqual(j.blocks, [block(1), block(2, 0), block(3, 3)]);
  assert.equal(j.txCount, 4);
  assert.equal(j.tornBytes, 0);
});

test("journal: a torn last line is truncated away", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const path = join(dir, "journal.ndjson");
  const good = journalLine(block(1)) + journalLine(block(2));
  await writeFile(path, good + journalLine(block(3)).slice(0, 40));
  const j = await readJournal(path);
  assert.equal(j.blocks.length, 2);
  assert.equal(j.tornBytes, 40);
  assert.equal(await readFile(path, "utf8"), good);
  // a crash that left zero bytes instead of data (some filesystems) counts as torn too
  await appendFile(path, "\0\0\0\0");
  assert.equal((await readJournal(path)).tornBytes, 4);
  assert.equal(await readFile(path, "utf8"), good);
});

test("journal: damage before the last line is a hard error naming the line", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const path = join(dir, "journal.ndjson");
  const cases: [string, RegExp][] = [
    [journalLine(block(1)) + '{"blockNumber":2,\n' + journalLine(block(3)), /line 2 \(not JSON\)/],
    [journalLine(block(1)) + journalLine(block(3)), /line 2 \(block 3 where block 2 was expected\)/],
    [journalLine(block(1)) + journalLine({ ...block(2), blockHash: "0x12" as Hex }), /line 2 \(bad blockHash\)/],
    [journalLine(block(1)) + "\n" + journalLine(block(2)), /line 2 \(not JSON\)/],
    [journalLine(block(1)).replace('"raw":"0x02f86c"', '"raw":"0x2f86c"'), /line 1 \(bad raw transaction\)/],
  ];
  for (const [content, message] of cases) {
    await writeFile(path, content);
    await assert.rejects(readJournal(path), (error: unknown) => {
      assert.ok(error instanceof MedchainError);
      assert.equal(error.code, "ChainUnavailable");
      assert.match(error.message, message);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), content, "a damaged journal is left untouched");
  }
});

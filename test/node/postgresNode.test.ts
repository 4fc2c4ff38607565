/**
 * The cluster-profile storage switch: the same node, `--db postgres://...`,
 * indexes into a real PostgreSQL (a throwaway cluster from Debian's package).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import pino from "pino";
import { startNode } from "../../src/node/startNode.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { startTestPostgres } from "../support/postgres.ts";
import { newIdentity, tempDir } from "../support/testNode.ts";
import { readJson, smallSyntheaFile } from "../support/fixtures.ts";

describe("node on PostgreSQL", () => {
  it("indexes into PostgreSQL and serves the same records API", async (t) => {
    const pg = await startTestPostgres();
    if ("skipped" in pg) {
      if (process.env.MEDCHAIN_TEST_PG_REQUIRED === "1") assert.fail(`MEDCHAIN_TEST_PG_REQUIRED=1 but: ${pg.skipped}`);
      t.skip(pg.skipped);
      return;
    }
    const dataDir = tempDir();
    const node = await startNode({ dataDir, port: 0, dbUrl: pg.url, log: pino({ level: "warn" }) });
    try {
      const client = new NodeClient(node.url);
      const health = await client.health();
      assert.deepEqual([health.db.kind, health.db.ok], ["postgres", true]);
      const patient = await newIdentity(client);
      const r = await importBundle({
        node: client,
        bundle: readJson(smallSyntheaFile()),
        owner: patient.account.address,
        author: patient,
      });
      const rows = await node.ctx.db.kysely.selectFrom("batches").selectAll().execute();
      assert.deepEqual(
        rows.map((x) => x.batch_id),
        [r.batchId],
      );
      const ex = await exportRecord({ node: client, reader: patient, owner: patient.account.address });
      assert.equal(ex.bundle.entry?.length, 70);
    } finally {
      await node.close();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

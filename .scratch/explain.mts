import { sql } from "kysely";
import { openPgliteFromTemplate } from "/work/wt-supply/src/node/db/pgliteTemplate.ts";
const db = await openPgliteFromTemplate(null);
const k = db.kysely;
const N = 1_000_000;
await sql`insert into supply_batches (anchor_id, partner, root, count, doc_cid, status, reason, block_number)
  select 1000000 + b, '0x' || lpad('1', 40, '0'), '0x' || lpad(to_hex(b), 64, '0'), 1000, 'bench', 'indexed', null, 0 from generate_series(0, ${N / 1000 - 1}) b`.execute(k);
await sql`insert into supply_events (event_hash, anchor_id, leaf_index, partner, event_type, biz_step, event_time, location, destinations, ilmd_expiry, proof)
  select '0xc0' || lpad(to_hex(i), 62, '0'), 1000000 + i / 1000, i % 1000, '0x' || lpad('1', 40, '0'), 'ObjectEvent', 'commissioning', 1767225600000 + i, null, '[]', '2030-12-31', decode(repeat('ab', 320), 'hex') from generate_series(0, ${N - 1}) i`.execute(k);
for (const [tag, per] of [["c0", 1], ["5e", 1000], ["ec", 1000]] as const) {
  await sql`insert into supply_unit_events (unit_key, event_hash) select 'https://id.gs1.org/01/00300010123455/21/S' || i, ${"0x" + tag} || lpad(to_hex(i / ${per}), 62, '0') from generate_series(0, ${N - 1}) i`.execute(k);
}
const t0 = performance.now();
for (let j = 0; j < 50; j++) await k.selectFrom("supply_unit_events as u").innerJoin("supply_events as e", "e.event_hash", "u.event_hash").innerJoin("supply_batches as b", "b.anchor_id", "e.anchor_id").selectAll("e").select("b.root").where("u.unit_key", "=", "https://id.gs1.org/01/00300010123455/21/S" + Math.floor(Math.random() * N)).execute();
console.log("join ms/query", (performance.now() - t0) / 50);
const t1 = performance.now();
for (let j = 0; j < 50; j++) {
  const hs = await k.selectFrom("supply_unit_events").select("event_hash").where("unit_key", "=", "https://id.gs1.org/01/00300010123455/21/S" + Math.floor(Math.random() * N)).execute();
  const ev = await k.selectFrom("supply_events").selectAll().where("event_hash", "in", hs.map((h) => h.event_hash)).execute();
  await k.selectFrom("supply_batches").select(["anchor_id", "root"]).where("anchor_id", "in", [...new Set(ev.map((e) => e.anchor_id))]).execute();
}
console.log("two-step ms/query", (performance.now() - t1) / 50);
const q = k.selectFrom("supply_unit_events as u").innerJoin("supply_events as e", "e.event_hash", "u.event_hash")
  .innerJoin("supply_batches as b", "b.anchor_id", "e.anchor_id")
  .selectAll("e").select("b.root").where("u.unit_key", "=", "https://id.gs1.org/01/00300010123455/21/S12345").orderBy("e.event_time").orderBy("e.anchor_id").orderBy("e.leaf_index");
const c = q.compile();
const plan = await sql.raw(`explain analyze ${c.sql.replace("$1", "'https://id.gs1.org/01/00300010123455/21/S12345'")}`).execute(k);
console.log((plan.rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]).join("\n"));
const twin = await sql.raw(`explain analyze select * from supply_twins where unit_key = '0xab'`).execute(k);
console.log((twin.rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]).join("\n"));
await db.close();

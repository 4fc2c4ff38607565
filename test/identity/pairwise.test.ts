/**
 * Acceptance 4 of issue 5, as users run it (CLI child processes, each person
 * with their own keystore, against a real node): alice derives a pairwise
 * address per provider (`key new --pairwise`), each provider is authorized by
 * and writes to its own address only, the two providers see unrelated
 * addresses, nothing on chain (calldata and logs of every transaction) puts
 * two of alice's addresses (or their encryption keys) in one transaction,
 * and alice's export gathers her root and both pairwise records in one
 * FHIR Bundle.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { hexToBytes, type Hex } from "viem";
import { startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner, type CliResult } from "../support/cli.ts";
import { syntheaPatientFiles } from "../support/fixtures.ts";
import { canonicalJson } from "../../src/kernel/crypto/canonical.ts";
import { utf8Decode } from "../../src/kernel/crypto/bytes.ts";

interface Entry {
  fullUrl?: string;
  resource: unknown;
}

function canon(e: Entry): string {
  return utf8Decode(canonicalJson({ fullUrl: e.fullUrl, resource: e.resource }));
}

function entries(file: string): string[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { entry: Entry[] }).entry.map(canon).sort();
}

describe("pairwise addresses: one address per provider, one unified record", () => {
  let t: TestNode;
  const home = {
    alice: tempDir("medchain-alice-"),
    provA: tempDir("medchain-provA-"),
    provB: tempDir("medchain-provB-"),
  };
  const cli = {
    alice: cliRunner({ home: home.alice, node: () => t.node.url }),
    provA: cliRunner({ home: home.provA, node: () => t.node.url }),
    provB: cliRunner({ home: home.provB, node: () => t.node.url }),
  };
  // three small Synthea patients: one each for provider A, provider B, and alice's own import to her root
  const [fileA, fileB, fileRoot] = ["Clemente_Kreiger", "Luigi_Wiegand", "Garrett_Thompson"].map(
    (n) => syntheaPatientFiles().find((f) => f.includes(n)) ?? "",
  ) as [string, string, string];
  const addr: Record<"root" | "A" | "B" | "provA" | "provB", Hex> = {
    root: "0x",
    A: "0x",
    B: "0x",
    provA: "0x",
    provB: "0x",
  };
  const encKey: Record<"root" | "A" | "B", Hex> = { root: "0x", A: "0x", B: "0x" };

  function ok(r: CliResult, what: string): Record<string, unknown> {
    assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
    return r.json;
  }

  before(async () => {
    t = await startTestNode();
  });
  after(async () => {
    await t?.close();
    for (const h of Object.values(home)) rmSync(h, { recursive: true, force: true });
  });

  it("alice derives a pairwise key per provider, published gaslessly; key list shows them under her root", async () => {
    const root = ok(await cli.alice(["key", "new", "alice", "--json"]), "key new alice");
    const a = ok(await cli.alice(["key", "new", "--pairwise", "provA", "--as", "alice", "--json"]), "pairwise A");
    const b = ok(await cli.alice(["key", "new", "--pairwise", "provB", "--as", "alice", "--json"]), "pairwise B");
    assert.equal(a.name, "alice@provA");
    assert.deepEqual(a.pairwise, { root: "alice", provider: "provA" });
    assert.match(String(a.did), /^did:pkh:eip155:31337:0x[0-9a-fA-F]{40}$/);
    [addr.root, addr.A, addr.B] = [root.address, a.address, b.address] as [Hex, Hex, Hex];
    [encKey.root, encKey.A, encKey.B] = [root.encryptionKey, a.encryptionKey, b.encryptionKey] as [Hex, Hex, Hex];
    assert.equal(new Set(Object.values(encKey)).size, 3);
    for (const k of ["A", "B"] as const)
      assert.equal((await t.client.account(addr[k])).encryptionKey, encKey[k], `${k}'s encryption key is on chain`);

    const list = ok(await cli.alice(["key", "list", "--json"]), "key list");
    assert.deepEqual(
      (list.keys as Array<{ name: string; pairwise?: { root: string } }>).map((k) => [
        k.name,
        k.pairwise?.root ?? null,
      ]),
      [
        ["alice", null],
        ["alice@provA", "alice"],
        ["alice@provB", "alice"],
      ],
    );
    const human = (await cli.alice(["key", "list"])).stdout.split("\n");
    assert.match(human[0] ?? "", /^alice\s+0x/);
    assert.match(human[1] ?? "", /^ {2}@provA\s+0x[0-9a-f]{40}\s+\(pairwise\)$/);
    assert.match(human[2] ?? "", /^ {2}@provB\s+0x[0-9a-f]{40}\s+\(pairwise\)$/);

    // refusals store nothing
    assert.equal(
      (await cli.alice(["key", "new", "--pairwise", "provA", "--as", "alice", "--json"])).json.code,
      "KeyExists",
    );
    assert.equal((await cli.alice(["key", "new", "--pairwise", "provC", "--json"])).json.code, "InvalidInput");
    assert.equal(
      (await cli.alice(["key", "new", "--pairwise", "prov C", "--as", "alice", "--json"])).json.code,
      "InvalidInput",
    );
    assert.equal(
      (await cli.alice(["key", "new", "--pairwise", "provC", "--as", "nobody", "--json"])).json.code,
      "KeyNotFound",
    );
    assert.equal(
      (await cli.alice(["key", "new", "--pairwise", "provC", "--as", "alice@provA", "--json"])).json.code,
      "InvalidInput",
    );
    assert.equal(
      (
        await cli.alice(["key", "new", "--pairwise", "provC", "--as", "alice", "--json"], {
          MEDCHAIN_PASSPHRASE: "not the passphrase",
        })
      ).json.code,
      "WrongPassphrase",
    );
    assert.equal((ok(await cli.alice(["key", "list", "--json"]), "key list").keys as unknown[]).length, 3);
  });

  it("each provider is authorized by, and writes to, its own pairwise address only", async () => {
    addr.provA = ok(await cli.provA(["key", "new", "provA", "--json"]), "provA").address as Hex;
    addr.provB = ok(await cli.provB(["key", "new", "provB", "--json"]), "provB").address as Hex;
    ok(await cli.alice(["records", "authorize", addr.provA, "--as", "alice@provA", "--json"]), "authorize A");
    ok(await cli.alice(["records", "authorize", addr.provB, "--as", "alice@provB", "--json"]), "authorize B");
    // providers know alice only by the address she gave each of them
    const impA = ok(
      await cli.provA(["records", "import", fileA, "--patient", addr.A, "--as", "provA", "--json"]),
      "import A",
    );
    const impB = ok(
      await cli.provB(["records", "import", fileB, "--patient", addr.B, "--as", "provB", "--json"]),
      "import B",
    );
    ok(
      await cli.alice(["records", "import", fileRoot, "--patient", "alice", "--as", "alice", "--json"]),
      "alice's own import",
    );
    assert.equal(impA.status, "imported");
    assert.equal(impB.status, "imported");
    // authorization is per address: provider A cannot write to the address alice gave B, nor to her root
    assert.equal(
      (await cli.provA(["records", "import", fileA, "--patient", addr.B, "--as", "provA", "--json"])).json.code,
      "NotWriter",
    );
    assert.equal(
      (await cli.provA(["records", "import", fileA, "--patient", addr.root, "--as", "provA", "--json"])).json.code,
      "NotWriter",
    );
    const seenByA = ok(await cli.provA(["records", "list", "--patient", addr.A, "--json"]), "list A").batches as Array<{
      batchId: string;
      author: string;
    }>;
    assert.deepEqual(
      seenByA.map((x) => [x.batchId, x.author]),
      [[impA.batchId, addr.provA]],
    );
    const rootBatches = ok(await cli.provA(["records", "list", "--patient", addr.root, "--json"]), "list root")
      .batches as Array<{ author: string }>;
    assert.deepEqual(
      rootBatches.map((x) => x.author),
      [addr.root],
      "the root holds only alice's own batch",
    );
    assert.equal(new Set([addr.root, addr.A, addr.B, addr.provA, addr.provB]).size, 5, "five unrelated addresses");
  });

  it("alice's export gathers her root and both pairwise records into one Bundle", async () => {
    const out = join(home.alice, "everything.json");
    const r = ok(
      await cli.alice(["records", "export", "--patient", "alice", "--as", "alice", "--out", out, "--json"]),
      "export",
    );
    assert.equal(r.addresses, 3);
    const want = [...entries(fileA), ...entries(fileB), ...entries(fileRoot)].sort();
    assert.equal(r.resources, want.length);
    assert.deepEqual(entries(out), want);
    assert.deepEqual(
      (r.batches as Array<{ owner: string }>).map((x) => x.owner).sort(),
      [addr.root, addr.A, addr.B].sort(),
    );
    // one pairwise address alone gives only that provider's records
    const onlyA = join(home.alice, "a.json");
    ok(
      await cli.alice(["records", "export", "--patient", addr.A, "--as", "alice@provA", "--out", onlyA, "--json"]),
      "export A",
    );
    assert.deepEqual(entries(onlyA), entries(fileA));
  });

  /**
   * Transactions whose calldata or logs put two of alice's identities together, or a provider with another's address;
   * and who was seen.
   */
  async function linkingTransactions(): Promise<{ together: string[]; seen: Map<string, number>; txs: number }> {
    const client = t.node.ctx.client;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const needles: Array<[string, Buffer]> = [
      ...(["root", "A", "B", "provA", "provB"] as const).map((k): [string, Buffer] => [
        k,
        Buffer.from(hexToBytes(addr[k])),
      ]),
      ...(["root", "A", "B"] as const).map((k): [string, Buffer] => [k, Buffer.from(hexToBytes(encKey[k]))]),
    ];
    const seen = new Map<string, number>();
    const together: string[] = [];
    let txs = 0;
    for (let n = 0n; n <= head; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        txs += 1;
        const receipt = await client.getTransactionReceipt({ hash: tx.hash });
        const hay = Buffer.from(
          [
            tx.input.slice(2),
            ...receipt.logs.flatMap((l) => [l.data.slice(2), ...l.topics.map((x: Hex) => x.slice(2))]),
          ].join(""),
          "hex",
        );
        const who = new Set(needles.filter(([, bytes]) => hay.includes(bytes)).map(([k]) => k));
        for (const k of who) seen.set(k, (seen.get(k) ?? 0) + 1);
        const alices = ["root", "A", "B"].filter((k) => who.has(k));
        if (alices.length > 1) together.push(`${tx.hash}: ${alices.join("+")}`);
        if (who.has("provA") && (who.has("B") || who.has("root")))
          together.push(`${tx.hash}: provA with ${[...who].join("+")}`);
        if (who.has("provB") && (who.has("A") || who.has("root")))
          together.push(`${tx.hash}: provB with ${[...who].join("+")}`);
      }
    }
    return { together, seen, txs };
  }

  it(
    "no transaction's calldata or logs hold two of alice's addresses " +
      "or keys; each provider appears only with its own address",
    async () => {
      const { together, seen, txs } = await linkingTransactions();
      assert.ok(txs >= 10, "the scenario produced transactions");
      // positive control: the scan does see each address where it is used
      for (const k of ["root", "A", "B", "provA", "provB"]) assert.ok((seen.get(k) ?? 0) > 0, `${k} is seen on chain`);
      assert.deepEqual(together, []);
    },
  );

  it(
    "negative control: the scan does flag a link once alice " + "makes one herself (her root authorizes her address A)",
    async () => {
      const tx = ok(await cli.alice(["records", "authorize", addr.A, "--as", "alice", "--json"]), "root authorizes A");
      const { together } = await linkingTransactions();
      assert.deepEqual(together, [`${String(tx.txHash)}: root+A`]);
    },
  );
});

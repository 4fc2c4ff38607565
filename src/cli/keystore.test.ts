import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import {
  createKey,
  createPairwiseKey,
  deleteKey,
  keyInfo,
  listKeys,
  pairwiseKeysOf,
  resolveAccount,
  unlockKey,
} from "./keystore.ts";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MedchainError);
    return e.code;
  }
  return "none";
}

describe("keystore", () => {
  const home = mkdtempSync(join(tmpdir(), "medchain-ks-"));
  let saved: string | undefined;
  before(() => {
    saved = process.env.MEDCHAIN_HOME;
    process.env.MEDCHAIN_HOME = home;
  });
  after(() => {
    process.env.MEDCHAIN_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  });

  it("creates a key file (0600) with no secret in the clear, and unlocks it with the passphrase", async () => {
    const { info, keys } = await createKey("alice", "a good passphrase");
    const file = join(home, "keys", "alice.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(toHex(keys.encryptionPrivateKey).slice(2)), "encryption private key not in the clear");
    const unlocked = unlockKey("alice", "a good passphrase");
    assert.equal(unlocked.account.address, keys.account.address);
    assert.deepEqual(unlocked.encryptionPrivateKey, keys.encryptionPrivateKey);
    assert.equal(info.address, keys.account.address.toLowerCase());
    assert.deepEqual(
      listKeys().map((k) => k.name),
      ["alice"],
    );
  });

  it("refuses with stable codes: wrong passphrase, unknown name, duplicate, bad name, short passphrase", async () => {
    assert.equal(
      code(() => unlockKey("alice", "wrong passphrase")),
      "WrongPassphrase",
    );
    assert.equal(
      code(() => unlockKey("bob", "whatever1")),
      "KeyNotFound",
    );
    await assert.rejects(
      createKey("alice", "another one!"),
      (e: unknown) => e instanceof MedchainError && e.code === "KeyExists",
    );
    await assert.rejects(
      createKey("../evil", "a good passphrase"),
      (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
    );
    await assert.rejects(
      createKey("carol", "short"),
      (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
    );
  });

  it("resolves names and addresses; unknown names are UnknownPatient", () => {
    assert.equal(resolveAccount("alice"), keyInfo("alice").address);
    assert.equal(
      resolveAccount("0x000000000000000000000000000000000000dEaD"),
      "0x000000000000000000000000000000000000dead",
    );
    assert.equal(
      code(() => resolveAccount("nobody")),
      "UnknownPatient",
    );
    assert.equal(
      code(() => resolveAccount("0x1234")),
      "InvalidInput",
    );
  });

  it(
    "pairwise keys: ROOT@PROVIDER, derived again identically, " +
      "listed under their root, refused from a pairwise root",
    async () => {
      await createKey("zed", "a good passphrase");
      const a = await createPairwiseKey("alice", "provA", "a good passphrase");
      const b = await createPairwiseKey("alice", "provB", "a good passphrase");
      assert.equal(a.info.name, "alice@provA");
      assert.deepEqual(a.info.pairwise, { root: "alice", provider: "provA" });
      assert.notEqual(a.info.address, b.info.address);
      assert.notEqual(a.info.address, keyInfo("alice").address);
      assert.equal(unlockKey("alice@provA", "a good passphrase").account.address, a.keys.account.address);
      assert.deepEqual(
        listKeys().map((k) => k.name),
        ["alice", "alice@provA", "alice@provB", "zed"],
      );
      assert.deepEqual(
        pairwiseKeysOf("alice").map((k) => k.name),
        ["alice@provA", "alice@provB"],
      );
      assert.deepEqual(pairwiseKeysOf("zed"), []);
      deleteKey("alice@provA");
      const again = await createPairwiseKey("alice", "provA", "a good passphrase");
      assert.equal(again.info.address, a.info.address, "deterministic from the root");
      assert.equal(again.info.encryptionPublicKey, a.info.encryptionPublicKey);
      await assert.rejects(
        createPairwiseKey("alice", "provA", "a good passphrase"),
        (e: unknown) => e instanceof MedchainError && e.code === "KeyExists",
      );
      await assert.rejects(
        createPairwiseKey("alice@provA", "x", "a good passphrase"),
        (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
      );
      await assert.rejects(
        createPairwiseKey("alice", "provC", "wrong passphrase"),
        (e: unknown) => e instanceof MedchainError && e.code === "WrongPassphrase",
      );
      await assert.rejects(
        createPairwiseKey("nobody", "provC", "a good passphrase"),
        (e: unknown) => e instanceof MedchainError && e.code === "KeyNotFound",
      );
      await assert.rejects(
        createKey("mallory@provA", "a good passphrase"),
        (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
      );
      const file = readFileSync(join(home, "keys", "alice@provB.json"), "utf8");
      assert.ok(!file.includes(toHex(b.keys.encryptionPrivateKey).slice(2)), "no secret in the clear");
    },
  );
});

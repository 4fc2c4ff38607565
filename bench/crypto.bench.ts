/**
 * Micro-benchmarks of the records crypto layer (src/records/crypto), each with
 * a baseline measured in the same run:
 * - the per-resource seal path (derive the DEK + AES-256-GCM seal + salted
 *   commitment) over the 959 resources of the large Synthea bundle, against raw
 *   node:crypto AES-256-GCM with one key on the same bytes and AAD;
 * - HPKE key wraps and unwraps per second, DEK derivations per second;
 * - Merkle tree leaves per second against OpenZeppelin's StandardMerkleTree;
 * - Keccak-256 of 64 bytes against viem's keccak256.
 * Run directly (`node --import tsx bench/crypto.bench.ts`) it prints the results as JSON.
 */
import { createCipheriv, randomBytes as nodeRandomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256 } from "viem";
import { FIXTURES as SHARED_FIXTURES } from "../test/support/fixtures.ts";
import { seal } from "../src/kernel/crypto/aead.ts";
import { randomBytes, toHex, utf8Encode } from "../src/kernel/crypto/bytes.ts";
import { canonicalJson } from "../src/kernel/crypto/canonical.ts";
import { commitResource } from "../src/kernel/crypto/commitment.ts";
import { generateEncryptionKeyPair, unwrapKey, wrapKey } from "../src/kernel/crypto/hpke.ts";
import { keccak256Into } from "../src/kernel/crypto/keccak.ts";
import { deriveCommitmentKeyFrom, deriveDekFrom, importKek, newKek } from "../src/kernel/crypto/keys.ts";
import { MerkleTree } from "../src/kernel/crypto/merkle.ts";

import type { BenchResult } from "./result.ts";

const FIXTURES = SHARED_FIXTURES;
const BATCH_ID = "0x9c22ff5f21f0b81b113e63f7db6da94fedef11b2119b4088b89664fb9a3cb658" as const;
const OWNER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const TRIALS = 5;
const TRIAL_MS = 400;

/** Runs `pass` (which reports the work units it did) repeatedly for at least `ms`; returns units per second. */
async function rate(pass: () => Promise<number> | number, ms = TRIAL_MS): Promise<number> {
  let units = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    units += await pass();
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (units * 1000) / elapsed;
}

/** Median of `TRIALS` trials of {@link rate}, after one warm-up pass. */
async function median(pass: () => Promise<number> | number, ms = TRIAL_MS): Promise<number> {
  await pass();
  const rates: number[] = [];
  for (let t = 0; t < TRIALS; t++) rates.push(await rate(pass, ms));
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function loadResources(): Uint8Array[] {
  const dir = path.join(FIXTURES, "fhir-synthea");
  const file = readdirSync(dir).find((f) => f.startsWith("Josue_Sipes_") && f.endsWith(".json"));
  if (file === undefined) throw new Error(`Josue_Sipes_*.json not found in ${dir}`);
  const bundle = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { entry: Array<{ resource: unknown }> };
  return bundle.entry.map((e) => canonicalJson(e.resource));
}

function round(n: number, digits = 3): number {
  const f = 10 ** Math.max(0, digits - Math.floor(Math.log10(Math.abs(n) || 1)) - 1);
  return Math.round(n * f) / f;
}

function compare(name: string, unit: string, ours: number, baselineName: string, baseline: number): BenchResult {
  return {
    name,
    value: round(ours),
    unit,
    baseline: { name: baselineName, value: round(baseline) },
    ratio: round(ours / baseline),
  };
}

/** Runs the records crypto benchmarks (about 30 s) and returns their figures. */
export async function benchCrypto(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  // (a) Per-resource seal path vs raw node:crypto AES-256-GCM.
  const plaintexts = loadResources();
  const aads = plaintexts.map((_, i) => utf8Encode(`medchain/resource/v1|${OWNER}|${BATCH_ID}|${i}|1`));
  const totalBytes = plaintexts.reduce((n, p) => n + p.length, 0);
  const kekKey = await importKek(newKek());
  const commitKey = await deriveCommitmentKeyFrom(kekKey, BATCH_ID);
  const sealOne = async (pt: Uint8Array, i: number): Promise<void> => {
    const dek = await deriveDekFrom(kekKey, BATCH_ID, i);
    await seal(dek, pt, aads[i]!);
    await commitResource(commitKey, pt);
  };
  const oursSequential = await median(async () => {
    for (let i = 0; i < plaintexts.length; i++) await sealOne(plaintexts[i]!, i);
    return totalBytes;
  });
  const oursConcurrent = await median(async () => {
    await mapLimit(plaintexts, 64, sealOne);
    return totalBytes;
  });
  const rawKey = nodeRandomBytes(32);
  const rawNode = await median(() => {
    for (let i = 0; i < plaintexts.length; i++) {
      const iv = nodeRandomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", rawKey, iv);
      cipher.setAAD(aads[i]!);
      const body = cipher.update(plaintexts[i]!);
      const last = cipher.final();
      Buffer.concat([iv, body, last, cipher.getAuthTag()]);
    }
    return totalBytes;
  });
  const mb = 1e6;
  const baselineName = "node:crypto createCipheriv aes-256-gcm, one key, same bytes and AAD";
  results.push(
    compare(
      `seal path (derive DEK + seal + commitment), sequential, ` +
        `${plaintexts.length} Synthea resources, ${round(totalBytes / mb)} MB`,
      "MB/s",
      oursSequential / mb,
      baselineName,
      rawNode / mb,
    ),
    compare(
      `seal path (derive DEK + seal + commitment), 64 in flight ` +
        `(as importBundle), ${plaintexts.length} Synthea resources`,
      "MB/s",
      oursConcurrent / mb,
      baselineName,
      rawNode / mb,
    ),
    {
      name: "seal path resources per second, 64 in flight",
      value: round((oursConcurrent / totalBytes) * plaintexts.length),
      unit: "resources/s",
    },
  );

  // (b) DEK derivations and HPKE wraps.
  const derivationsSequential = await median(async () => {
    for (let i = 0; i < 1000; i++) await deriveDekFrom(kekKey, BATCH_ID, i);
    return 1000;
  });
  const derivationsConcurrent = await median(async () => {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => deriveDekFrom(kekKey, BATCH_ID, i)));
    return 1000;
  });
  results.push(
    {
      name: "DEK derivations (HKDF-SHA256 deriveBits + AES key import), sequential",
      value: round(derivationsSequential),
      unit: "derivations/s",
    },
    { name: "DEK derivations, 1000 in flight", value: round(derivationsConcurrent), unit: "derivations/s" },
  );
  const { publicKey, privateKey } = await generateEncryptionKeyPair();
  const kek = newKek();
  const info = utf8Encode("medchain/kek/v1");
  const aad = utf8Encode(`${BATCH_ID}|clinical|${OWNER}`);
  const wraps = await median(async () => {
    for (let i = 0; i < 50; i++) await wrapKey(publicKey, kek, info, aad);
    return 50;
  });
  const wrapped = await wrapKey(publicKey, kek, info, aad);
  const unwraps = await median(async () => {
    for (let i = 0; i < 50; i++) await unwrapKey(privateKey, wrapped, info, aad);
    return 50;
  });
  results.push(
    {
      name: "HPKE wraps of a 32-byte KEK (X25519, HKDF-SHA256, AES-256-GCM), sequential",
      value: round(wraps),
      unit: "wraps/s",
    },
    { name: "HPKE unwraps, sequential", value: round(unwraps), unit: "unwraps/s" },
  );

  // (c) Merkle trees vs OpenZeppelin StandardMerkleTree, same 10,000 leaves.
  const leaves = Array.from({ length: 10_000 }, () => toHex(randomBytes(32)));
  const ozLeaves = leaves.map((l): [`0x${string}`] => [l]);
  const ours = await median(() => {
    MerkleTree.of(leaves);
    return leaves.length;
  });
  const oz = await median(() => {
    StandardMerkleTree.of(ozLeaves, ["bytes32"]);
    return leaves.length;
  }, 1);
  if (MerkleTree.of(leaves).root !== StandardMerkleTree.of(ozLeaves, ["bytes32"]).root)
    throw new Error("Merkle roots differ from OZ");
  results.push(
    compare(
      "Merkle tree build, 10,000 bytes32 leaves (root + all nodes)",
      "leaves/s",
      ours,
      "@openzeppelin/merkle-tree StandardMerkleTree.of",
      oz,
    ),
  );

  // (d) Keccak-256 of 64 bytes (one Merkle pair) vs viem.
  const block = randomBytes(64);
  const out = new Uint8Array(32);
  const keccakOurs = await median(() => {
    for (let i = 0; i < 20_000; i++) {
      block[0] = i;
      keccak256Into(block, 0, 64, out, 0);
    }
    return 20_000;
  });
  const keccakViem = await median(() => {
    for (let i = 0; i < 5_000; i++) {
      block[0] = i;
      keccak256(block, "bytes");
    }
    return 5_000;
  });
  results.push(compare("keccak256 of 64 bytes", "hashes/s", keccakOurs, "viem keccak256 (@noble/hashes)", keccakViem));

  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(JSON.stringify(await benchCrypto(), null, 2));
}

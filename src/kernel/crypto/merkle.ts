/**
 * Merkle trees over bytes32 leaves, bit-compatible with OpenZeppelin's
 * `StandardMerkleTree.of(values.map((v) => [v]), ["bytes32"])` (and so with
 * OZ's Solidity `MerkleProof`):
 * - leaf hash = keccak256(keccak256(abi.encode(bytes32))) (abi.encode of a
 *   bytes32 is the 32 bytes themselves);
 * - leaf hashes sorted ascending (stable, so duplicates keep input order) and
 *   laid out as a complete binary tree in an array, leaves at the end in
 *   reverse order, node i = hashPair(node 2i+1, node 2i+2);
 * - hashPair(a, b) = keccak256 of the two hashes concatenated in ascending order;
 * - proofs are the sibling hashes from the leaf up; indexes are input order.
 *
 * Hand-written because the OZ library builds about 11k leaves/s (TOOLCHAIN.md),
 * far too slow for bulk anchoring: this one parses the leaves into one
 * buffer, hashes in place with an allocation-free Keccak-256 (keccak.ts, about
 * 4x @noble/hashes) and hashes each sorted pair straight from the tree buffer,
 * where siblings sit side by side: about 11x OZ's speed (bench/crypto.bench.ts).
 * `merkle.test.ts` checks roots and proofs against `StandardMerkleTree`.
 */
import { MedchainError } from "../errors.ts";
import { toHex } from "./bytes.ts";
import { keccak256Into } from "./keccak.ts";

const BYTES32_RE = /^0x[0-9a-fA-F]{64}$/;

function nibble(code: number): number {
  // Only called on strings that passed BYTES32_RE.
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

function parseBytes32Into(hex: string, what: string, out: Uint8Array, offset: number): void {
  if (typeof hex !== "string" || !BYTES32_RE.test(hex)) {
    throw new MedchainError("InvalidInput", `${what} must be a 0x-prefixed bytes32 hex string`);
  }
  for (let i = 0, j = 2; i < 32; i++, j += 2) {
    out[offset + i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
  }
}

/** Compares 32-byte slices a[ao..] and b[bo..]; negative, zero or positive. */
function compare32(a: Uint8Array, ao: number, b: Uint8Array, bo: number): number {
  for (let i = 0; i < 32; i++) {
    const d = a[ao + i]! - b[bo + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Writes hashPair of the 32-byte nodes at `a[ao]` and `b[bo]` (sorted, concatenated, keccak256) to `dst[dstOffset]`.
 */
function hashPairInto(
  a: Uint8Array,
  ao: number,
  b: Uint8Array,
  bo: number,
  dst: Uint8Array,
  dstOffset: number,
  scratch: Uint8Array,
): void {
  const aFirst = compare32(a, ao, b, bo) <= 0;
  const lo = aFirst ? 0 : 32;
  const hi = aFirst ? 32 : 0;
  for (let i = 0; i < 32; i++) {
    scratch[lo + i] = a[ao + i]!;
    scratch[hi + i] = b[bo + i]!;
  }
  keccak256Into(scratch, 0, 64, dst, dstOffset);
}

/** A built Merkle tree: the root and a proof for every leaf, without rebuilding. */
export class MerkleTree {
  /** Node hashes, 32 bytes each, in OZ's array layout (root at 0). */
  readonly #nodes: Uint8Array;
  /** Tree index of each leaf, by input position. */
  readonly #treeIndex: Uint32Array;

  private constructor(nodes: Uint8Array, treeIndex: Uint32Array) {
    this.#nodes = nodes;
    this.#treeIndex = treeIndex;
  }

  /**
   * Builds the tree of `leaves` (bytes32 hex values, at least one). Throws `InvalidInput` for none or a malformed leaf.
   */
  static of(leaves: readonly `0x${string}`[]): MerkleTree {
    const n = leaves.length;
    if (n === 0) throw new MedchainError("InvalidInput", "a Merkle tree needs at least one leaf");
    const hashes = new Uint8Array(n * 32);
    for (let i = 0; i < n; i++) {
      parseBytes32Into(leaves[i]!, "Merkle leaf", hashes, i * 32);
      keccak256Into(hashes, i * 32, 32, hashes, i * 32);
      keccak256Into(hashes, i * 32, 32, hashes, i * 32);
    }
    // Sort leaf positions by hash; the first 4 bytes decide almost always.
    const prefix = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * 32;
      prefix[i] = ((hashes[o]! << 24) | (hashes[o + 1]! << 16) | (hashes[o + 2]! << 8) | hashes[o + 3]!) >>> 0;
    }
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => prefix[a]! - prefix[b]! || compare32(hashes, a * 32, hashes, b * 32) || a - b);

    const size = 2 * n - 1;
    const nodes = new Uint8Array(size * 32);
    const treeIndex = new Uint32Array(n);
    for (let p = 0; p < n; p++) {
      const leaf = order[p]!;
      const t = size - 1 - p;
      treeIndex[leaf] = t;
      nodes.set(hashes.subarray(leaf * 32, leaf * 32 + 32), t * 32);
    }
    const scratch = new Uint8Array(64);
    for (let i = size - 1 - n; i >= 0; i--) {
      const left = (2 * i + 1) * 32;
      // The children are adjacent: hash them in place when already in order.
      if (compare32(nodes, left, nodes, left + 32) <= 0) keccak256Into(nodes, left, 64, nodes, i * 32);
      else hashPairInto(nodes, left, nodes, left + 32, nodes, i * 32, scratch);
    }
    return new MerkleTree(nodes, treeIndex);
  }

  /** Number of leaves. */
  get size(): number {
    return this.#treeIndex.length;
  }

  /** The root, as bytes32 hex. */
  get root(): `0x${string}` {
    return toHex(this.#nodes.subarray(0, 32));
  }

  /** The leaf hash of the leaf at input position `index`. */
  leafHash(index: number): `0x${string}` {
    const t = this.#leafTreeIndex(index);
    return toHex(this.#nodes.subarray(t * 32, t * 32 + 32));
  }

  /** The proof (sibling hashes, leaf to root) of the leaf at input position `index`, as OZ's `getProof(index)`. */
  proof(index: number): `0x${string}`[] {
    const proof: `0x${string}`[] = [];
    for (let j = this.#leafTreeIndex(index); j > 0; j = (j - 1) >> 1) {
      const sibling = j % 2 === 1 ? j + 1 : j - 1;
      proof.push(toHex(this.#nodes.subarray(sibling * 32, sibling * 32 + 32)));
    }
    return proof;
  }

  #leafTreeIndex(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.#treeIndex.length) {
      throw new MedchainError("InvalidInput", "Merkle leaf index " + "out of range", {
        details: { index, size: this.#treeIndex.length },
      });
    }
    return this.#treeIndex[index]!;
  }
}

/**
 * The Merkle root of `leaves` (bytes32 hex, at least one), equal to OZ `StandardMerkleTree.of(…, ["bytes32"]).root`.
 */
export function merkleRoot(leaves: readonly `0x${string}`[]): `0x${string}` {
  return MerkleTree.of(leaves).root;
}

/**
 * The proof of the leaf at input position `index`, equal to OZ `getProof(index)`. To prove many leaves, build a {@link
 * MerkleTree} once.
 */
export function merkleProof(leaves: readonly `0x${string}`[], index: number): `0x${string}`[] {
  return MerkleTree.of(leaves).proof(index);
}

/** The leaf hash of a bytes32 value: keccak256(keccak256(abi.encode(value))), as OZ and Solidity compute it. */
export function merkleLeafHash(leaf: `0x${string}`): `0x${string}` {
  const buf = new Uint8Array(32);
  parseBytes32Into(leaf, "Merkle leaf", buf, 0);
  keccak256Into(buf, 0, 32, buf, 0);
  keccak256Into(buf, 0, 32, buf, 0);
  return toHex(buf);
}

/**
 * True when `proof` proves that the bytes32 value `leaf` (the value, not its
 * leaf hash) is in the tree of `root`, as OZ `StandardMerkleTree.verify` and
 * Solidity `MerkleProof.verify` decide. Throws `InvalidInput` for malformed hex.
 */
export function verifyMerkleProof(root: `0x${string}`, leaf: `0x${string}`, proof: readonly `0x${string}`[]): boolean {
  const acc = new Uint8Array(32);
  const sibling = new Uint8Array(32);
  const scratch = new Uint8Array(64);
  const expected = new Uint8Array(32);
  parseBytes32Into(root, "Merkle root", expected, 0);
  parseBytes32Into(leaf, "Merkle leaf", acc, 0);
  keccak256Into(acc, 0, 32, acc, 0);
  keccak256Into(acc, 0, 32, acc, 0);
  for (const step of proof) {
    parseBytes32Into(step, "Merkle proof element", sibling, 0);
    hashPairInto(acc, 0, sibling, 0, acc, 0, scratch);
  }
  return compare32(acc, 0, expected, 0) === 0;
}

/**
 * Pairwise (relationship) keys: a patient uses a different address with each
 * provider, so no identifier on chain links her relationships. Each is
 * derived from her root signing key, deterministically (lose the keystore
 * entry, keep the root, derive it again):
 *
 *   okm = HKDF-SHA256(ikm = root private key (32 bytes), salt = empty,
 *                     info = "medchain/pairwise/v1/<provider>", 64 bytes)
 *   signing key    = okm[0..32]  (secp256k1; if outside [1, n-1], which has
 *                    probability ~2^-128, info gets "#1", "#2"... appended)
 *   encryption key = DeriveKeyPair(okm[32..64]) of DHKEM(X25519, HKDF-SHA256)
 *                    (RFC 9180 section 7.1.3), the KEM the records slice uses.
 *
 * Only the derivation is here (isomorphic, WebCrypto); where the keys are
 * stored is the caller's business. Nothing derived reveals the root.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { MedchainError } from "./errors.ts";
import { hpkeSuite } from "./crypto/hpke.ts";
import type { RecordKeys } from "./accountKeys.ts";

/** The HKDF info prefix; the provider label follows it. */
export const PAIRWISE_INFO_PREFIX = "medchain/pairwise/v1/";

/** A provider label: letters, digits, '.', '_' and '-' (max 64), or a 0x address (compared lowercased). */
const PROVIDER_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The canonical form of a provider label (addresses lowercased); `InvalidInput` when it is not one. */
export function pairwiseProviderLabel(provider: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(provider)) return provider.toLowerCase();
  if (!PROVIDER_RE.test(provider)) {
    throw new MedchainError(
      "InvalidInput",
      "a provider label uses letters, digits, '.', '_' and '-' (max 64), or is an address",
      { details: { provider } },
    );
  }
  return provider;
}

async function hkdf(ikm: Uint8Array, info: string, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new Uint8Array(ikm), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/** The derived secrets of one relationship. */
export interface PairwiseSecrets {
  /** secp256k1 private key of the relationship address. */
  signingKey: Hex;
  /** X25519 private key (raw, 32 bytes). */
  encryptionPrivateKey: Uint8Array<ArrayBuffer>;
  /** X25519 public key (raw, 32 bytes). */
  encryptionPublicKey: Uint8Array<ArrayBuffer>;
}

/** Derives the relationship keys for `provider` from a root secp256k1 private key (see the module comment). */
export async function derivePairwiseSecrets(rootPrivateKey: Hex, provider: string): Promise<PairwiseSecrets> {
  const root = hexToBytes(rootPrivateKey);
  if (root.length !== 32) throw new MedchainError("InvalidInput", "the root private key must be 32 bytes");
  const label = pairwiseProviderLabel(provider);
  for (let attempt = 0; ; attempt++) {
    const okm = await hkdf(root, `${PAIRWISE_INFO_PREFIX}${label}${attempt === 0 ? "" : `#${attempt}`}`, 64);
    const k = BigInt(bytesToHex(okm.subarray(0, 32)));
    if (k === 0n || k >= SECP256K1_N) continue;
    const seed = okm.slice(32, 64);
    okm.fill(0);
    const pair = await hpkeSuite.kem.deriveKeyPair(seed);
    seed.fill(0);
    const [pub, priv] = await Promise.all([
      hpkeSuite.kem.serializePublicKey(pair.publicKey),
      hpkeSuite.kem.serializePrivateKey(pair.privateKey),
    ]);
    return {
      signingKey: `0x${k.toString(16).padStart(64, "0")}`,
      encryptionPrivateKey: new Uint8Array(priv),
      encryptionPublicKey: new Uint8Array(pub),
    };
  }
}

/** The relationship keys for `provider` as {@link RecordKeys} (account + X25519 pair). */
export async function derivePairwiseKeys(rootPrivateKey: Hex, provider: string): Promise<RecordKeys> {
  const s = await derivePairwiseSecrets(rootPrivateKey, provider);
  return {
    account: privateKeyToAccount(s.signingKey),
    encryptionPrivateKey: s.encryptionPrivateKey,
    encryptionPublicKey: s.encryptionPublicKey,
  };
}

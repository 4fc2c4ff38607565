/**
 * The browser keystore: one entry per named identity in IndexedDB. Public
 * facts (address, encryption public key) are stored in the clear; the secret
 * keys (secp256k1 signing key, X25519 private key) only sealed under the
 * passphrase (see keyVault.ts). Unlocked keys live in memory only, for the
 * page's lifetime; they are never sent anywhere.
 */
import { createStore, del, entries, get, set } from "idb-keyval";
import { z } from "zod";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { MedchainError } from "../../../src/kernel/errors.ts";
import { zAddress, zBytes32, zHex } from "../../../src/kernel/schemas.ts";
import { fromHex, toHex, utf8Decode, utf8Encode } from "../../../src/kernel/crypto/bytes.ts";
import { generateEncryptionKeyPair } from "../../../src/kernel/crypto/hpke.ts";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";
import { MIN_PASSPHRASE, openSecret, sealSecret } from "./keyVault.ts";

const store = createStore("medchain-keystore", "keys");
const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u;

const zStoredKey = z.object({
  version: z.literal(1),
  name: z.string(),
  address: zAddress,
  encryptionPublicKey: zBytes32,
  createdAt: z.string(),
  sealed: z.object({
    kdf: z.object({
      name: z.literal("PBKDF2"),
      hash: z.literal("SHA-256"),
      iterations: z.number().int().positive(),
      salt: zHex,
    }),
    cipher: z.object({ name: z.literal("AES-GCM"), iv: zHex, ciphertext: zHex }),
  }),
});
const zSecret = z.object({ signingKey: zBytes32, encryptionPrivateKey: zBytes32 });

/** Public facts of a stored identity. */
export interface StoredIdentity {
  name: string;
  address: `0x${string}`;
  encryptionPublicKey: `0x${string}`;
  createdAt: string;
}

/** Every identity stored in this browser, by name. */
export async function listIdentities(): Promise<StoredIdentity[]> {
  const all = await entries<string, unknown>(store);
  return all
    .flatMap(([, v]) => {
      const p = zStoredKey.safeParse(v);
      return p.success
        ? [
            {
              name: p.data.name,
              address: p.data.address,
              encryptionPublicKey: p.data.encryptionPublicKey,
              createdAt: p.data.createdAt,
            },
          ]
        : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Creates an identity (signing + encryption keys), seals it and stores it. `KeyExists` rather than overwrite. */
export async function createIdentity(name: string, passphrase: string): Promise<RecordKeys> {
  const clean = name.trim();
  if (!NAME_RE.test(clean))
    throw new MedchainError("InvalidInput", "names use letters, digits, spaces, '.', '_' and '-' (max 64)");
  if (passphrase.length < MIN_PASSPHRASE)
    throw new MedchainError("InvalidInput", `the passphrase must have at least ${MIN_PASSPHRASE} characters`);
  if ((await get(clean, store)) !== undefined)
    throw new MedchainError("KeyExists", `an identity named "${clean}" already exists in this browser`);
  const signingKey = generatePrivateKey();
  const enc = await generateEncryptionKeyPair();
  const account = privateKeyToAccount(signingKey);
  const address = account.address.toLowerCase() as `0x${string}`;
  const secret = utf8Encode(JSON.stringify({ signingKey, encryptionPrivateKey: toHex(enc.privateKey) }));
  const sealed = await sealSecret(secret, passphrase, address);
  secret.fill(0);
  await set(
    clean,
    {
      version: 1,
      name: clean,
      address,
      encryptionPublicKey: toHex(enc.publicKey),
      createdAt: new Date().toISOString(),
      sealed,
    },
    store,
  );
  return { account, encryptionPrivateKey: enc.privateKey, encryptionPublicKey: enc.publicKey };
}

/** Unlocks a stored identity; `WrongPassphrase` when the passphrase does not open it. */
export async function unlockIdentity(name: string, passphrase: string): Promise<RecordKeys> {
  const raw: unknown = await get(name, store);
  if (raw === undefined) throw new MedchainError("KeyNotFound", `no identity named "${name}" in this browser`);
  const stored = zStoredKey.safeParse(raw);
  if (!stored.success) throw new MedchainError("InvalidInput", `the stored identity "${name}" is damaged`);
  const plain = await openSecret(stored.data.sealed, passphrase, stored.data.address);
  const secret = zSecret.parse(JSON.parse(utf8Decode(plain)));
  plain.fill(0);
  return {
    account: privateKeyToAccount(secret.signingKey),
    encryptionPrivateKey: fromHex(secret.encryptionPrivateKey),
    encryptionPublicKey: fromHex(stored.data.encryptionPublicKey),
  };
}

/** Removes an identity from this browser (its keys are gone for good unless backed up elsewhere). */
export async function forgetIdentity(name: string): Promise<void> {
  await del(name, store);
}

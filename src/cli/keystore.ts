/**
 * The CLI's local encrypted keystore under `$MEDCHAIN_HOME/keys` (default
 * `~/.medchain`). One file per name, mode 0600: public facts in the clear
 * (address, encryption public key), secrets (signing key, X25519 private key)
 * sealed with AES-256-GCM under a scrypt-derived key from the passphrase.
 * A pairwise key (`ROOT@PROVIDER`, see `sdk/pairwise.ts`) also records, in
 * this local file only, the root it was derived from and the provider.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { isAddress, toHex, fromHex } from "viem";
import { z } from "zod";
import { MedchainError } from "../kernel/errors.ts";
import { zAddress, zBytes32, zHex } from "../kernel/schemas.ts";
import { generateEncryptionKeyPair } from "../kernel/crypto/hpke.ts";
import type { RecordKeys } from "../kernel/accountKeys.ts";
import { writeFileAtomic } from "../node/fsAtomic.ts";
import { derivePairwiseSecrets, pairwiseProviderLabel } from "../kernel/pairwise.ts";

/** `$MEDCHAIN_HOME`, default `~/.medchain`. */
export function medchainHome(): string {
  return process.env.MEDCHAIN_HOME ?? join(homedir(), ".medchain");
}

const LABEL = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
/** A key name: a label, or `ROOT@PROVIDER` for a pairwise key. */
const NAME_RE = new RegExp(`^${LABEL}(@${LABEL})?$`);
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const zKeyFile = z.object({
  version: z.literal(1),
  name: z.string(),
  address: zAddress,
  encryptionPublicKey: zBytes32,
  createdAt: z.string(),
  /** Local only: the root key this pairwise key was derived from, and the provider it is for. */
  pairwise: z.object({ root: z.string(), provider: z.string() }).optional(),
  crypto: z.object({
    kdf: z.literal("scrypt"),
    n: z.number(),
    r: z.number(),
    p: z.number(),
    salt: zHex,
    nonce: zHex,
    ciphertext: zHex,
  }),
});

/** Public facts of a stored key. */
export interface KeyInfo {
  name: string;
  address: `0x${string}`;
  encryptionPublicKey: `0x${string}`;
  /** Set for a pairwise key: its root key's name and the provider it is for (local knowledge only). */
  pairwise?: { root: string; provider: string };
}

function keysDir(): string {
  return join(medchainHome(), "keys");
}

function keyFile(name: string): string {
  if (!NAME_RE.test(name))
    throw new MedchainError("InvalidInput", "key names use letters, digits, '.', '_' and '-' (max 64)", {
      details: { name },
    });
  return join(keysDir(), `${name}.json`);
}

function readKeyFile(name: string): z.infer<typeof zKeyFile> {
  const file = keyFile(name);
  if (!existsSync(file))
    throw new MedchainError("KeyNotFound", `no key named "${name}" in ${keysDir()}`, { details: { name } });
  const parsed = zKeyFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new MedchainError("InvalidInput", `key file of "${name}" is damaged`, { details: { name } });
  return parsed.data;
}

function kdf(passphrase: string, salt: Buffer): Buffer {
  return scryptSync(passphrase.normalize("NFKC"), salt, 32, SCRYPT);
}

interface Secrets {
  signingKey: `0x${string}`;
  encryptionPrivateKey: Uint8Array;
  encryptionPublicKey: Uint8Array;
}

function writeKey(
  name: string,
  passphrase: string,
  secrets: Secrets,
  pairwise?: { root: string; provider: string },
): { info: KeyInfo; keys: RecordKeys } {
  const file = keyFile(name);
  if (existsSync(file))
    throw new MedchainError("KeyExists", `a key named "${name}" already exists`, { details: { name } });
  if (passphrase.length < 8) throw new MedchainError("InvalidInput", "the passphrase must have at least 8 characters");
  const account = privateKeyToAccount(secrets.signingKey);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kdf(passphrase, salt), nonce);
  const secret = Buffer.from(
    JSON.stringify({ signingKey: secrets.signingKey, encryptionPrivateKey: toHex(secrets.encryptionPrivateKey) }),
  );
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  secret.fill(0);
  const content: z.infer<typeof zKeyFile> = {
    version: 1,
    name,
    address: account.address.toLowerCase() as `0x${string}`,
    encryptionPublicKey: toHex(secrets.encryptionPublicKey),
    createdAt: new Date().toISOString(),
    ...(pairwise === undefined ? {} : { pairwise }),
    crypto: {
      kdf: "scrypt",
      n: SCRYPT.N,
      r: SCRYPT.r,
      p: SCRYPT.p,
      salt: toHex(salt),
      nonce: toHex(nonce),
      ciphertext: toHex(ciphertext),
    },
  };
  mkdirSync(keysDir(), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`, 0o600);
  return {
    info: {
      name,
      address: content.address,
      encryptionPublicKey: content.encryptionPublicKey,
      ...(pairwise === undefined ? {} : { pairwise }),
    },
    keys: {
      account,
      encryptionPrivateKey: new Uint8Array(secrets.encryptionPrivateKey),
      encryptionPublicKey: new Uint8Array(secrets.encryptionPublicKey),
    },
  };
}

/** Creates and stores a new key (signing + encryption). Fails with `KeyExists` rather than overwrite. */
export async function createKey(name: string, passphrase: string): Promise<{ info: KeyInfo; keys: RecordKeys }> {
  if (name.includes("@"))
    throw new MedchainError(
      "InvalidInput",
      "names with '@' are pairwise keys: use key new --pairwise PROVIDER --as ROOT",
      { details: { name } },
    );
  if (existsSync(keyFile(name)))
    throw new MedchainError("KeyExists", `a key named "${name}" already exists`, { details: { name } });
  const enc = await generateEncryptionKeyPair();
  return writeKey(name, passphrase, {
    signingKey: generatePrivateKey(),
    encryptionPrivateKey: enc.privateKey,
    encryptionPublicKey: enc.publicKey,
  });
}

/** The name of the pairwise key of `root` for `provider`: `ROOT@PROVIDER`. */
export function pairwiseKeyName(root: string, provider: string): string {
  return `${root}@${pairwiseProviderLabel(provider)}`;
}

/**
 * Derives the pairwise key of root key `root` for `provider` (HKDF from the
 * root's private key, see `sdk/pairwise.ts`) and stores it as `ROOT@PROVIDER`,
 * sealed under the same passphrase, with its root recorded locally. Fails with
 * `KeyExists` when stored already (deriving again gives the same key) and
 * `InvalidInput` when `root` is itself a pairwise key.
 */
export async function createPairwiseKey(
  root: string,
  provider: string,
  passphrase: string,
): Promise<{ info: KeyInfo; keys: RecordKeys }> {
  const rootFile = readKeyFile(root);
  if (rootFile.pairwise !== undefined)
    throw new MedchainError("InvalidInput", `"${root}" is a pairwise key: derive pairwise keys from a root key`, {
      details: { root },
    });
  const label = pairwiseProviderLabel(provider);
  const name = pairwiseKeyName(root, label);
  if (existsSync(keyFile(name)))
    throw new MedchainError("KeyExists", `a key named "${name}" already exists`, { details: { name } });
  const rootSecret = openSecret(root, passphrase);
  const derived = await derivePairwiseSecrets(rootSecret.signingKey, label);
  return writeKey(name, passphrase, derived, { root, provider: label });
}

/** Removes a stored key (used to roll back a key whose registration failed). */
export function deleteKey(name: string): void {
  rmSync(keyFile(name), { force: true });
}

/** Public facts of a stored key (no passphrase needed). */
export function keyInfo(name: string): KeyInfo {
  const f = readKeyFile(name);
  return {
    name: f.name,
    address: f.address,
    encryptionPublicKey: f.encryptionPublicKey,
    ...(f.pairwise === undefined ? {} : { pairwise: f.pairwise }),
  };
}

/** Every stored key's public facts: root keys by name, each followed by its pairwise keys by provider. */
export function listKeys(): KeyInfo[] {
  if (!existsSync(keysDir())) return [];
  const all = readdirSync(keysDir())
    .filter((f) => f.endsWith(".json"))
    .map((f) => keyInfo(f.slice(0, -5)));
  const order = (k: KeyInfo): [string, string] =>
    k.pairwise === undefined ? [k.name, ""] : [k.pairwise.root, k.pairwise.provider];
  return all.sort((a, b) => {
    const [ra, pa] = order(a);
    const [rb, pb] = order(b);
    return ra === rb ? (pa < pb ? -1 : pa > pb ? 1 : 0) : ra < rb ? -1 : 1;
  });
}

/** The pairwise keys derived from root key `root` (local knowledge: nothing on chain links them). */
export function pairwiseKeysOf(root: string): KeyInfo[] {
  return listKeys().filter((k) => k.pairwise?.root === root);
}

function openSecret(
  name: string,
  passphrase: string,
): { signingKey: `0x${string}`; encryptionPrivateKey: `0x${string}` } {
  const f = readKeyFile(name);
  const raw = fromHex(f.crypto.ciphertext, "bytes");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    kdf(passphrase, Buffer.from(fromHex(f.crypto.salt, "bytes"))),
    fromHex(f.crypto.nonce, "bytes"),
  );
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]);
  } catch {
    throw new MedchainError("WrongPassphrase", `the passphrase does not unlock key "${name}"`, { details: { name } });
  }
  const secret = z
    .object({ signingKey: zBytes32, encryptionPrivateKey: zBytes32 })
    .parse(JSON.parse(plain.toString("utf8")));
  plain.fill(0);
  return secret;
}

/** Unlocks a stored key. Throws `WrongPassphrase` when the passphrase does not open it. */
export function unlockKey(name: string, passphrase: string): RecordKeys {
  const f = readKeyFile(name);
  const secret = openSecret(name, passphrase);
  const account = privateKeyToAccount(secret.signingKey);
  return {
    account,
    encryptionPrivateKey: fromHex(secret.encryptionPrivateKey, "bytes"),
    encryptionPublicKey: fromHex(f.encryptionPublicKey, "bytes"),
  };
}

/** Resolves `NAME|ADDRESS` to an address: a 0x address as is, else a name in the keystore. */
export function resolveAccount(nameOrAddress: string, role = "patient"): `0x${string}` {
  if (nameOrAddress.startsWith("0x")) {
    if (!isAddress(nameOrAddress, { strict: false }))
      throw new MedchainError("InvalidInput", `"${nameOrAddress}" is not a valid address`);
    return nameOrAddress.toLowerCase() as `0x${string}`;
  }
  try {
    return keyInfo(nameOrAddress).address;
  } catch (err) {
    if (err instanceof MedchainError && err.code === "KeyNotFound") {
      throw new MedchainError(
        role === "patient" ? "UnknownPatient" : "UnknownAccount",
        `unknown ${role} "${nameOrAddress}": not an address and not a key name in ${keysDir()}`,
        { details: { [role]: nameOrAddress } },
      );
    }
    throw err;
  }
}

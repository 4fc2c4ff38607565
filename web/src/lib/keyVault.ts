/**
 * Sealing of a browser key with a passphrase (pure WebCrypto, so the same
 * code is unit-tested in Node): PBKDF2-SHA256 (600 000 iterations, OWASP's
 * 2023 figure) stretches the passphrase into a non-extractable AES-256-GCM
 * key that seals the secret keys; the account address is bound as AAD so a
 * sealed secret cannot be moved under another identity's public facts.
 */
import { MedchainError } from "../../../src/kernel/errors.ts";
import { fromHex, randomBytes, toHex, utf8Encode } from "../../../src/kernel/crypto/bytes.ts";

/** PBKDF2 iterations for new keys. */
export const PBKDF2_ITERATIONS = 600_000;
/** Shortest passphrase accepted (as in the CLI keystore). */
export const MIN_PASSPHRASE = 8;

/** A sealed secret as stored. */
export interface SealedSecret {
  kdf: { name: "PBKDF2"; hash: "SHA-256"; iterations: number; salt: `0x${string}` };
  cipher: { name: "AES-GCM"; iv: `0x${string}`; ciphertext: `0x${string}` };
}

function aad(address: string): Uint8Array<ArrayBuffer> {
  return utf8Encode(`medchain/browser-keystore/v1|${address.toLowerCase()}`);
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", utf8Encode(passphrase.normalize("NFKC")), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Seals `secret` under `passphrase`, bound to `address`. */
export async function sealSecret(
  secret: Uint8Array<ArrayBuffer>,
  passphrase: string,
  address: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<SealedSecret> {
  if (passphrase.length < MIN_PASSPHRASE)
    throw new MedchainError("InvalidInput", `the passphrase must have at least ${MIN_PASSPHRASE} characters`);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, iterations);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(address) }, key, secret),
  );
  return {
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations, salt: toHex(salt) },
    cipher: { name: "AES-GCM", iv: toHex(iv), ciphertext: toHex(ct) },
  };
}

/** Opens a sealed secret; `WrongPassphrase` when the passphrase (or the bound address) does not match. */
export async function openSecret(
  sealed: SealedSecret,
  passphrase: string,
  address: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await deriveKey(passphrase, fromHex(sealed.kdf.salt), sealed.kdf.iterations);
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromHex(sealed.cipher.iv), additionalData: aad(address) },
        key,
        fromHex(sealed.cipher.ciphertext),
      ),
    );
  } catch {
    throw new MedchainError("WrongPassphrase", "this passphrase does not unlock the key");
  }
}

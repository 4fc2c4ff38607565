/**
 * AES-256-GCM through WebCrypto. Sealed format: `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
 * Nonces are random; every data key encrypts few messages (one resource version),
 * far below the 2^32 messages per key that random 96-bit nonces allow.
 */
import { MedchainError } from "../errors.ts";
import { asBufferSource, concatBytes, randomBytes } from "./bytes.ts";

/** Nonce length of the sealed format, in bytes. */
export const AEAD_NONCE_LENGTH = 12;
/** Authentication tag length of the sealed format, in bytes. */
export const AEAD_TAG_LENGTH = 16;
/** AES-256 key length, in bytes. */
export const AEAD_KEY_LENGTH = 32;

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key (encrypt and decrypt). */
export async function importAeadKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== AEAD_KEY_LENGTH) {
    throw new MedchainError("InvalidInput", "AES-256-GCM key must be 32 bytes", { details: { length: raw.length } });
  }
  return globalThis.crypto.subtle.importKey("raw", asBufferSource(raw), { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/**
 * Encrypts and authenticates `plaintext`, binding `aad` (authenticated, not
 * encrypted). Returns `nonce || ciphertext || tag` under a fresh random nonce.
 */
export async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const nonce = randomBytes(AEAD_NONCE_LENGTH);
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv: asBufferSource(nonce), additionalData: asBufferSource(aad), tagLength: AEAD_TAG_LENGTH * 8 },
    key,
    asBufferSource(plaintext),
  );
  return concatBytes(nonce, new Uint8Array(ct));
}

/**
 * Verifies and decrypts the output of {@link seal} with the same `aad`. Throws
 * `IntegrityError` (and returns nothing) when the key, the nonce, the
 * ciphertext, the tag or the AAD do not match.
 */
export async function open(key: CryptoKey, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.length < AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH) {
    throw new MedchainError("IntegrityError", "sealed data is too short", { details: { length: sealed.length } });
  }
  try {
    const pt = await globalThis.crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: asBufferSource(sealed.subarray(0, AEAD_NONCE_LENGTH)),
        additionalData: asBufferSource(aad),
        tagLength: AEAD_TAG_LENGTH * 8,
      },
      key,
      asBufferSource(sealed.subarray(AEAD_NONCE_LENGTH)),
    );
    return new Uint8Array(pt);
  } catch (cause) {
    throw new MedchainError("IntegrityError", "authentication failed: wrong key, " + "or data or context was altered", {
      cause,
    });
  }
}

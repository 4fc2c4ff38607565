/**
 * HPKE (RFC 9180) base mode, single-shot, with DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256 and AES-256-GCM, from @hpke/core's WebCrypto implementations.
 * Used to wrap key-encryption keys to readers, once per batch and category
 * (a wrap costs about a millisecond; see docs/architecture/records-and-keys.md).
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import { MedchainError } from "../errors.ts";

/** The HPKE cipher suite of medchain: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (0x0020, 0x0001, 0x0002). */
export const hpkeSuite: CipherSuite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

/** Length of a raw X25519 public or private key, and of the encapsulated key `enc`, in bytes. */
export const X25519_KEY_LENGTH = 32;

/** An HPKE-wrapped key: the encapsulated ephemeral public key and the AEAD ciphertext (key + 16-byte tag). */
export interface WrappedKey {
  /** Encapsulated key (the sender's ephemeral X25519 public key), 32 bytes. */
  enc: Uint8Array;
  /** Ciphertext of the wrapped key, including the 16-byte tag. */
  ct: Uint8Array;
}

/** Generates a fresh X25519 key pair for receiving wrapped keys, as raw 32-byte keys. */
export async function generateEncryptionKeyPair(): Promise<{
  publicKey: Uint8Array<ArrayBuffer>;
  privateKey: Uint8Array<ArrayBuffer>;
}> {
  const pair = await hpkeSuite.kem.generateKeyPair();
  const [publicKey, privateKey] = await Promise.all([
    hpkeSuite.kem.serializePublicKey(pair.publicKey),
    hpkeSuite.kem.serializePrivateKey(pair.privateKey),
  ]);
  return { publicKey: new Uint8Array(publicKey), privateKey: new Uint8Array(privateKey) };
}

/**
 * Seals `key` to `recipientPublicKey` (single-shot HPKE base mode), binding
 * `info` (the key schedule context) and `aad`. Throws `InvalidInput` for a
 * malformed or low-order recipient key or an empty `key`.
 */
export async function wrapKey(
  recipientPublicKey: Uint8Array,
  key: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<WrappedKey> {
  if (recipientPublicKey.length !== X25519_KEY_LENGTH) {
    throw new MedchainError("InvalidInput", "recipient public key must be 32 bytes (raw X25519)", {
      details: { length: recipientPublicKey.length },
    });
  }
  if (key.length === 0) {
    throw new MedchainError("InvalidInput", "nothing to wrap: the key is empty");
  }
  let pk: CryptoKey;
  try {
    pk = await hpkeSuite.kem.deserializePublicKey(recipientPublicKey);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "recipient public key is not a valid X25519 key", { cause });
  }
  try {
    const { enc, ct } = await hpkeSuite.seal({ recipientPublicKey: pk, info }, key, aad);
    return { enc: new Uint8Array(enc), ct: new Uint8Array(ct) };
  } catch (cause) {
    // Encapsulation fails only for a low-order point (all-zero shared secret).
    throw new MedchainError("InvalidInput", "cannot wrap to this recipient public key", { cause });
  }
}

/**
 * Opens a key wrapped by {@link wrapKey} with the recipient's raw X25519
 * private key and the same `info` and `aad`. Throws `InvalidInput` for a
 * private key that is not 32 bytes and `IntegrityError` when the wrapped key
 * cannot be opened (wrong private key, altered `enc`, `ct`, `info` or `aad`);
 * the caller decides whether that means access denied or corruption.
 */
export async function unwrapKey(
  recipientPrivateKey: Uint8Array,
  wrapped: WrappedKey,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (recipientPrivateKey.length !== X25519_KEY_LENGTH) {
    throw new MedchainError("InvalidInput", "recipient private key must be 32 bytes (raw X25519)", {
      details: { length: recipientPrivateKey.length },
    });
  }
  let sk: CryptoKey;
  try {
    sk = await hpkeSuite.kem.deserializePrivateKey(recipientPrivateKey);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "recipient private key is not a valid X25519 key", { cause });
  }
  try {
    const pt = await hpkeSuite.open({ recipientKey: sk, enc: wrapped.enc, info }, wrapped.ct, aad);
    return new Uint8Array(pt);
  } catch (cause) {
    throw new MedchainError(
      "IntegrityError",
      "wrapped key cannot be opened: wrong " + "recipient key, or data or context was altered",
      { cause },
    );
  }
}

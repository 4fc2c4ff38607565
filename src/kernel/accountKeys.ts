/** The key material a record reader or writer holds (isomorphic: a CLI keystore or a browser keystore provides it). */
import type { LocalAccount } from "viem";

/** Signing account plus X25519 encryption key pair. */
export interface RecordKeys {
  /** secp256k1 account that signs EIP-712 requests. */
  account: LocalAccount;
  /** X25519 private key (32 bytes). */
  encryptionPrivateKey: Uint8Array;
  /** X25519 public key (32 bytes), published on chain. */
  encryptionPublicKey: Uint8Array;
}

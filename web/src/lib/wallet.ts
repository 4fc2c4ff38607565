/**
 * Keys from an injected EIP-1193 wallet (MetaMask and the like): the wallet
 * signs every EIP-712 request (its key never reaches the page); the X25519
 * encryption key, which wallets do not offer, is derived from the wallet's
 * signature over a fixed statement (deterministic RFC 6979 signatures give
 * the same key on every device holding the account). Only its public half is
 * ever published.
 */
import { createWalletClient, custom, hexToBytes, type EIP1193Provider } from "viem";
import { toAccount } from "viem/accounts";
import { MedchainError } from "../../../src/kernel/errors.ts";
import { hpkeSuite } from "../../../src/kernel/crypto/hpke.ts";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";

/** The statement the wallet signs to derive the encryption key (changing it changes the key). */
export const ENCRYPTION_KEY_STATEMENT =
  "medchain: derive my record encryption key (v1).\n\nSigning this does not send " +
  "a transaction or cost anything. Only sign it on a medchain portal you trust.";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/** True when the browser has an injected wallet. */
export function hasInjectedWallet(): boolean {
  return typeof window !== "undefined" && window.ethereum !== undefined;
}

/** Connects the injected wallet (asks the user) and returns keys whose signing goes through it. */
export async function connectWallet(provider: EIP1193Provider | undefined = window.ethereum): Promise<RecordKeys> {
  if (provider === undefined)
    throw new MedchainError("InvalidInput", "no browser wallet found (install one, or use a passphrase-protected key)");
  const wallet = createWalletClient({ transport: custom(provider) });
  const [address] = await wallet.requestAddresses();
  if (address === undefined) throw new MedchainError("AccessDenied", "the wallet shared no account");
  const account = toAccount({
    address,
    signMessage: ({ message }) => wallet.signMessage({ account: address, message }),
    signTypedData: (typedData) =>
      wallet.signTypedData({ ...typedData, account: address } as Parameters<typeof wallet.signTypedData>[0]),
    signTransaction: () =>
      Promise.reject(
        new MedchainError("InvalidInput", "medchain never asks a wallet to send transactions (gas is sponsored)"),
      ),
  });
  const signature = await wallet.signMessage({ account: address, message: ENCRYPTION_KEY_STATEMENT });
  const pair = await hpkeSuite.kem.deriveKeyPair(hexToBytes(signature).buffer as ArrayBuffer);
  const [pub, priv] = await Promise.all([
    hpkeSuite.kem.serializePublicKey(pair.publicKey),
    hpkeSuite.kem.serializePrivateKey(pair.privateKey),
  ]);
  return { account, encryptionPrivateKey: new Uint8Array(priv), encryptionPublicKey: new Uint8Array(pub) };
}

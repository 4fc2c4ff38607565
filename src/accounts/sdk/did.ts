/** DIDs of accounts: did:pkh (CAIP-10) for secp256k1 accounts. */
import { getAddress } from "viem";

/** The did:pkh of an EVM account on chain `chainId`. */
export function didOf(chainId: number, address: `0x${string}`): string {
  return `did:pkh:eip155:${chainId}:${getAddress(address)}`;
}

/**
 * The EIP-712 domain keepers sign and verify under (key-release requests, audit queries): shared by the keeper and
 * audit slices.
 */

/** The EIP-712 domain of key-release requests: bound to the chain and the consent registry. */
export function keyReleaseDomain(
  chainId: number,
  consentRegistry: `0x${string}`,
): { name: string; version: string; chainId: number; verifyingContract: `0x${string}` } {
  return { name: "MedchainKeeper", version: "1", chainId, verifyingContract: consentRegistry };
}

/**
 * The credential verifier's trust questions answered by the chain (the trust
 * registry), as of the next block: was the issuer accredited for the type
 * when it issued, and has the credential been revoked?
 */
import type { Address, Hex, PublicClient } from "viem";
import { trustRegistryAbi } from "../chain/generated/contracts.ts";
import { CREDENTIAL_STATUSES } from "./sdk/schemas.ts";

/** The answers a verifier needs; the same shape as the credential SDK's `TrustPort`. */
export interface ChainTrust {
  isAccredited(issuer: Address, typeId: Hex, at: Date): Promise<boolean>;
  isRevoked(credentialId: Hex): Promise<boolean>;
  /** The credential's state in the registry now (Unknown when never registered). */
  status(credentialId: Hex): Promise<(typeof CREDENTIAL_STATUSES)[number]>;
}

/**
 * A trust port over the registry. "Accredited at issuance" is read as: accredited now, under an accreditation
 * that began no later than the issuance time (an issuer de-accredited since has no valid credentials left: the
 * registry invalidates them with the accreditation).
 */
export function chainTrust(client: PublicClient, trustRegistry: `0x${string}`): ChainTrust {
  return {
    async isAccredited(issuer, typeId, at) {
      const [epoch, since] = await client.readContract({
        address: trustRegistry,
        abi: trustRegistryAbi,
        functionName: "accreditation",
        args: [issuer, typeId],
        blockTag: "pending",
      });
      return epoch !== 0 && Number(since) * 1000 <= at.getTime();
    },
    async isRevoked(credentialId) {
      return client.readContract({
        address: trustRegistry,
        abi: trustRegistryAbi,
        functionName: "isRevoked",
        args: [credentialId],
        blockTag: "pending",
      });
    },
    async status(credentialId) {
      const s = await client.readContract({
        address: trustRegistry,
        abi: trustRegistryAbi,
        functionName: "credentialStatus",
        args: [credentialId],
        blockTag: "pending",
      });
      return CREDENTIAL_STATUSES[s] ?? "Unknown";
    },
  };
}

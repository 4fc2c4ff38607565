/**
 * A trading partner joins the supply chain with its authorized-trading-partner credential, client side
 * (isomorphic): it reads the claims (kind, GLN, company prefix) from the credential and signs a gasless
 * `TradingPartners.registerWithCredential`, which checks on chain that the credential is valid, that the signer is
 * its subject and that the claims are the ones the accredited issuer bound in the trust registry. A partner whose
 * credential lapsed (or is about to) renews with a new one for the same claims (`TradingPartners.renewCredential`).
 */
import { encodeFunctionData, type Account, type Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { tradingPartnersAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import {
  CREDENTIAL_TYPES,
  credentialIdOf,
  parseClaims,
  partnerKindOf,
  type ClaimsOf,
} from "../../identity/sdk/index.ts";
import { decodeCompact } from "../../identity/sdk/jwt.ts";
import "../../identity/sdk/errors.ts";

/** Claims of a trading-partner credential. */
export type TradingPartnerClaims = ClaimsOf<"AuthorizedTradingPartnerCredential">;

/** What joining did. */
export interface JoinResult {
  account: `0x${string}`;
  credentialId: Hex;
  role: TradingPartnerClaims["role"];
  kind: number;
  gln: string;
  companyPrefix: string;
  txHash: Hex;
}

/** The on-chain id and the claims of a trading-partner credential JWT (`InvalidCredential` for another type). */
export function tradingPartnerCredential(jwt: string): { credentialId: Hex; claims: TradingPartnerClaims } {
  const payload = decodeCompact(jwt.trim(), "credential").payload;
  const vc = payload.vc as { type?: unknown; credentialSubject?: unknown } | undefined;
  const types = Array.isArray(vc?.type) ? vc.type : [];
  if (!types.includes(CREDENTIAL_TYPES.TradingPartner)) {
    throw new MedchainError("InvalidCredential", "this is not an " + "authorized-trading-partner credential", {
      details: { path: "type" },
    });
  }
  if (typeof payload.jti !== "string" || payload.jti === "")
    throw new MedchainError("InvalidCredential", "the credential " + "has no id (jti)", { details: { path: "id" } });
  const { id: _subject, ...claims } = (vc?.credentialSubject ?? {}) as Record<string, unknown>;
  return { credentialId: credentialIdOf(payload.jti), claims: parseClaims(CREDENTIAL_TYPES.TradingPartner, claims) };
}

/**
 * Registers `partner` as a trading partner with its credential (gasless). `claimed` overrides claims (what the
 * partner asserts; the chain refuses anything but the attested claims with `PartnerClaimsMismatch`). Refusals come
 * back with the chain's code: `CredentialRevoked`, `CredentialExpired`, `CredentialNotRegistered`,
 * `NotCredentialSubject`, `InvalidInput` (already a partner, GLN taken).
 */
export async function joinWithCredential(
  node: NodeClient,
  partner: Account,
  jwt: string,
  claimed: Partial<TradingPartnerClaims> = {},
): Promise<JoinResult> {
  return bindCredential("registerWithCredential", node, partner, jwt, claimed);
}

/**
 * Rebinds `partner`, registered by credential, to a new credential with the same kind, GLN and company prefix
 * (gasless), e.g. after its credential was revoked, expired or its issuer de-accredited, or ahead of expiry.
 * Refusals: `PartnerClaimsChanged` (the new claims differ from the partner's), `CredentialAlreadyBound` (its current
 * credential), `NotCredentialPartner` (registered by the operator), `NotFound` (not a partner), and the checks of
 * {@link joinWithCredential} on the new credential.
 */
export async function renewWithCredential(
  node: NodeClient,
  partner: Account,
  jwt: string,
  claimed: Partial<TradingPartnerClaims> = {},
): Promise<JoinResult> {
  return bindCredential("renewCredential", node, partner, jwt, claimed);
}

async function bindCredential(
  functionName: "registerWithCredential" | "renewCredential",
  node: NodeClient,
  partner: Account,
  jwt: string,
  claimed: Partial<TradingPartnerClaims>,
): Promise<JoinResult> {
  const { credentialId, claims: attested } = tradingPartnerCredential(jwt);
  const claims = parseClaims(CREDENTIAL_TYPES.TradingPartner, { ...attested, ...claimed });
  const kind = partnerKindOf(claims.role);
  const { contracts } = await node.network();
  const tx = await relayCall(
    node,
    partner,
    contracts.tradingPartners,
    encodeFunctionData({
      abi: tradingPartnersAbi,
      functionName,
      args: [credentialId, kind, BigInt(claims.gln), claims.companyPrefix],
    }),
  );
  return {
    account: partner.address.toLowerCase() as `0x${string}`,
    credentialId,
    role: claims.role,
    kind,
    gln: claims.gln,
    companyPrefix: claims.companyPrefix,
    txHash: tx.txHash,
  };
}

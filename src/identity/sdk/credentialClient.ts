/**
 * Credentials from a client, gaslessly: an accredited issuer issues a
 * credential and registers it in the trust registry; a holder presents it
 * over the node's one-time challenge with its signed `claimRole` requests;
 * an issuer revokes. Isomorphic (the signing keys never leave the client).
 */
import { encodeFunctionData, type Hex, type LocalAccount } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { trustRegistryAbi } from "../../chain/generated/contracts.ts";
import { relayCall, signRelay } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import {
  CREDENTIAL_TYPES,
  createPresentation,
  credentialIdOf,
  credentialTypeId,
  credentialTypeName,
  issueCredential,
  parseClaims,
  tradingPartnerClaimsDigest,
  type CredentialTypeName,
} from "./index.ts";
import { decodeCompact } from "./jwt.ts";
import "./errors.ts";

/** A credential issued and registered on chain. */
export interface RegisteredCredential {
  jwt: string;
  /** The VC id (`urn:uuid:...`). */
  id: string;
  /** Its on-chain id (keccak256 of the VC id). */
  credentialId: Hex;
  type: CredentialTypeName;
  tx: RelayResult;
}

const seconds = (d: Date): bigint => BigInt(Math.floor(d.getTime() / 1000));

/**
 * Issues a credential (VC-JWT naming the trust registry as its status registry) and registers it in the trust
 * registry as `issuer`; `CredentialIssuerNotAccredited` if the issuer is not accredited for the type now. A
 * trading-partner credential is registered with the digest of its claims (kind, GLN, company prefix: business data),
 * which TradingPartners checks when the partner joins with it.
 */
export async function issueAndRegister(
  node: NodeClient,
  issuer: LocalAccount,
  p: { type: string; subject: `0x${string}`; claims: Record<string, unknown>; validFrom: Date; validUntil: Date },
): Promise<RegisteredCredential> {
  const { chainId, contracts } = await node.network();
  const type = credentialTypeName(p.type);
  const vc = await issueCredential({
    issuer,
    chainId,
    type,
    subject: p.subject,
    claims: p.claims,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    statusRegistry: contracts.trustRegistry,
  });
  const base = [
    vc.credentialId,
    credentialTypeId(type),
    p.subject,
    seconds(p.validFrom),
    seconds(p.validUntil),
  ] as const;
  const data =
    type === CREDENTIAL_TYPES.TradingPartner
      ? encodeFunctionData({
          abi: trustRegistryAbi,
          functionName: "registerCredentialWithClaims",
          args: [...base, tradingPartnerClaimsDigest(parseClaims(type, p.claims))],
        })
      : encodeFunctionData({ abi: trustRegistryAbi, functionName: "registerCredential", args: base });
  const tx = await relayCall(node, issuer, contracts.trustRegistry, data);
  return { jwt: vc.jwt, id: vc.id, credentialId: vc.credentialId, type, tx };
}

/** The on-chain id of a credential JWT (keccak256 of its `jti`). */
export function credentialIdOfJwt(jwt: string): Hex {
  const jti = decodeCompact(jwt.trim(), "credential").payload.jti;
  if (typeof jti !== "string" || jti === "")
    throw new MedchainError("InvalidCredential", "the credential " + "has no id (jti)", { details: { path: "id" } });
  return credentialIdOf(jti);
}

/**
 * Presents credentials to the node as their holder: gets a one-time challenge, signs a presentation over it and one
 * `claimRole` request per credential; the node verifies and relays them. Resolves with the roles claimed.
 */
export async function presentToNode(
  node: NodeClient,
  holder: LocalAccount,
  credentials: readonly string[],
): Promise<Awaited<ReturnType<NodeClient["presentCredentials"]>>> {
  const { chainId, contracts } = await node.network();
  const jwts = credentials.map((c) => c.trim());
  const { challenge, domain } = await node.credentialChallenge();
  const presentation = await createPresentation({ holder, chainId, credentials: jwts, challenge, domain });
  const claims = [];
  for (const jwt of jwts) {
    const data = encodeFunctionData({
      abi: trustRegistryAbi,
      functionName: "claimRole",
      args: [credentialIdOfJwt(jwt)],
    });
    claims.push(await signRelay(node, holder, contracts.trustRegistry, data));
  }
  return node.presentCredentials({ presentation, claims });
}

/** Revokes a credential as its issuer (or governance); `id` is its on-chain id (0x...) or its VC id (urn:uuid:...). */
export async function revokeCredential(
  node: NodeClient,
  issuer: LocalAccount,
  id: string,
): Promise<{ credentialId: Hex; tx: RelayResult }> {
  const credentialId = /^0x[0-9a-fA-F]{64}$/.test(id)
    ? (id.toLowerCase() as Hex)
    : id.startsWith("urn:")
      ? credentialIdOf(id)
      : null;
  if (credentialId === null)
    throw new MedchainError(
      "InvalidInput",
      "a credential is named by its on-chain id " + "(0x + 64 hex) or its VC id (urn:uuid:...)",
    );
  const { contracts } = await node.network();
  const tx = await relayCall(
    node,
    issuer,
    contracts.trustRegistry,
    encodeFunctionData({ abi: trustRegistryAbi, functionName: "revokeCredential", args: [credentialId] }),
  );
  return { credentialId, tx };
}

/**
 * Credentials at the node: single-use presentation challenges kept in the
 * database, verification of a credential against the chain (signature, data
 * model, validity, revocation, accreditation at issuance, and its entry in
 * the trust registry), and presentation: the holder proves possession over a
 * fresh challenge, then the node relays the holder's own signed `claimRole`
 * requests, so the role is bound on chain to the credential's subject.
 */
import { randomBytes } from "node:crypto";
import { decodeFunctionData, getAddress, type Hex } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import { trustRegistryAbi } from "../chain/generated/contracts.ts";
import type { NodeContext } from "../node/context.ts";
import type { ForwardRequest } from "../kernel/relay/forwardRequest.ts";
import {
  presentationChallenge,
  verifyCredential,
  verifyPresentation,
  type ChallengeStore,
  type IssuedChallenge,
  type VerifiedCredential,
} from "./sdk/index.ts";
import { chainTrust } from "./chainTrust.ts";
import type { VerifiedCredentialInfo } from "./sdk/schemas.ts";
import "./sdk/errors.ts";

/** How long a presentation challenge stays usable. */
export const CHALLENGE_TTL_SECONDS = 300;
/** Used challenges are kept this long after expiry so that a replay reads as `PresentationReplayed`. */
const REPLAY_MEMORY_SECONDS = 24 * 3600;

/** The audience (`aud`) presentations to this network's nodes must name. */
export function presentationDomain(ctx: Pick<NodeContext, "deployment">): string {
  return `medchain:eip155:${ctx.deployment.chainId}:${ctx.deployment.trustRegistry}`;
}

/** A {@link ChallengeStore} in the node's database: each challenge is consumed at most once, atomically. */
export function dbChallengeStore(ctx: Pick<NodeContext, "db" | "deployment">): ChallengeStore {
  const db = ctx.db.kysely;
  const secs = (d: Date): bigint => BigInt(Math.floor(d.getTime() / 1000));
  return {
    async issue(now: Date = new Date()): Promise<IssuedChallenge> {
      await db
        .deleteFrom("credential_challenges")
        .where("expires_at", "<", secs(now) - BigInt(REPLAY_MEMORY_SECONDS))
        .execute();
      const challenge = randomBytes(32).toString("base64url");
      const expiresAt = secs(now) + BigInt(CHALLENGE_TTL_SECONDS);
      await db
        .insertInto("credential_challenges")
        .values({ challenge, domain: presentationDomain(ctx), expires_at: expiresAt, used_at: null })
        .execute();
      return { challenge, expiresAt: new Date(Number(expiresAt) * 1000) };
    },
    async consume(challenge: string, now: Date = new Date()): Promise<void> {
      const used = await db
        .updateTable("credential_challenges")
        .set({ used_at: secs(now) })
        .where("challenge", "=", challenge)
        .where("used_at", "is", null)
        .where("expires_at", ">", secs(now))
        .returning("challenge")
        .executeTakeFirst();
      if (used !== undefined) return;
      const row = await db
        .selectFrom("credential_challenges")
        .select(["used_at"])
        .where("challenge", "=", challenge)
        .executeTakeFirst();
      if (row !== undefined && row.used_at !== null)
        throw new MedchainError("PresentationReplayed", "this presentation's challenge has already been used");
      throw new MedchainError(
        "PresentationChallengeMismatch",
        row === undefined ? "unknown challenge: ask for a new one" : "the challenge has expired: ask for a new one",
      );
    },
  };
}

/** A fresh single-use challenge and the domain to present to. */
export async function issueChallenge(
  ctx: NodeContext,
): Promise<{ challenge: string; domain: string; expiresAt: string }> {
  const c = await dbChallengeStore(ctx).issue();
  return { challenge: c.challenge, domain: presentationDomain(ctx), expiresAt: c.expiresAt.toISOString() };
}

/**
 * Checks that the trust registry's entry under this credential's id is this credential (same issuer, subject, type).
 */
async function registryState(ctx: NodeContext, c: VerifiedCredential): Promise<VerifiedCredentialInfo["registry"]> {
  const trust = chainTrust(ctx.client, ctx.deployment.trustRegistry);
  const status = await trust.status(c.credentialId);
  if (status === "Unknown") return status;
  const stored = await ctx.client.readContract({
    address: ctx.deployment.trustRegistry,
    abi: trustRegistryAbi,
    functionName: "getCredential",
    args: [c.credentialId],
    blockTag: "pending",
  });
  if (
    getAddress(stored.issuer) !== getAddress(c.issuer) ||
    getAddress(stored.subject) !== getAddress(c.subject) ||
    stored.typeId.toLowerCase() !== c.typeId.toLowerCase()
  ) {
    throw new MedchainError(
      "InvalidCredential",
      "the trust registry holds another credential under this credential's id",
      { details: { credentialId: c.credentialId } },
    );
  }
  return status;
}

function info(c: VerifiedCredential, registry: VerifiedCredentialInfo["registry"]): VerifiedCredentialInfo {
  return {
    id: c.id,
    credentialId: c.credentialId,
    type: c.type,
    typeId: c.typeId,
    issuer: c.issuer.toLowerCase() as `0x${string}`,
    subject: c.subject.toLowerCase() as `0x${string}`,
    claims: { ...c.claims },
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    issuedAt: c.issuedAt.toISOString(),
    registry,
  };
}

/** Every check of a credential JWT against this network (typed refusal), and its state in the trust registry. */
export async function verifyCredentialJwt(ctx: NodeContext, jwt: string): Promise<VerifiedCredentialInfo> {
  const c = await verifyCredential(jwt, {
    chainId: ctx.deployment.chainId,
    trust: chainTrust(ctx.client, ctx.deployment.trustRegistry),
    statusRegistry: ctx.deployment.trustRegistry,
  });
  return info(c, await registryState(ctx, c));
}

/**
 * Verifies a presentation over one of this node's challenges (consumed once: a replay is `PresentationReplayed`),
 * then relays the holder's signed `claimRole` request for each presented credential. Every request must come from
 * the holder, go to the trust registry and claim exactly one presented credential.
 */
export async function presentCredentials(
  ctx: NodeContext,
  body: { presentation: string; claims: ReadonlyArray<{ request: ForwardRequest; signature: `0x${string}` }> },
): Promise<{
  holder: `0x${string}`;
  roles: Array<{ type: string; credentialId: `0x${string}`; txHash: `0x${string}` }>;
}> {
  const { deployment } = ctx;
  const vp = await verifyPresentation(body.presentation, {
    chainId: deployment.chainId,
    challenge: presentationChallenge(body.presentation),
    domain: presentationDomain(ctx),
    trust: chainTrust(ctx.client, deployment.trustRegistry),
    statusRegistry: deployment.trustRegistry,
    challenges: dbChallengeStore(ctx),
  });
  const byId = new Map(vp.credentials.map((c) => [c.credentialId.toLowerCase(), c]));
  if (body.claims.length !== byId.size) {
    throw new MedchainError("InvalidInput", "send one signed claimRole request per presented credential", {
      details: { credentials: byId.size, claims: body.claims.length },
    });
  }
  const claimed = new Set<string>();
  for (const { request } of body.claims) {
    if (
      request.from.toLowerCase() !== vp.holder.toLowerCase() ||
      request.to.toLowerCase() !== deployment.trustRegistry
    ) {
      throw new MedchainError("InvalidInput", "each claim must be the holder's request to the trust registry");
    }
    let credentialId: Hex;
    try {
      const call = decodeFunctionData({ abi: trustRegistryAbi, data: request.data });
      if (call.functionName !== "claimRole") throw new Error("not claimRole");
      credentialId = call.args[0];
    } catch (cause) {
      throw new MedchainError("InvalidInput", "each claim must be a claimRole request", { cause });
    }
    if (!byId.has(credentialId.toLowerCase()) || claimed.has(credentialId.toLowerCase())) {
      throw new MedchainError("InvalidInput", "each claim must name one of the presented credentials, once");
    }
    claimed.add(credentialId.toLowerCase());
  }
  for (const c of vp.credentials) await registryState(ctx, c);
  const roles = [];
  for (const { request, signature } of body.claims) {
    const credentialId = decodeFunctionData({ abi: trustRegistryAbi, data: request.data }).args[0] as Hex;
    const c = byId.get(credentialId.toLowerCase());
    const tx = await ctx.relayer.relay(request, signature);
    roles.push({ type: c?.type ?? "", credentialId: credentialId.toLowerCase() as `0x${string}`, txHash: tx.txHash });
  }
  return { holder: vp.holder.toLowerCase() as `0x${string}`, roles };
}

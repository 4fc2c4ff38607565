/** API shapes of the identity slice: trust registry, governance, credential verification and presentation. */
import { z } from "zod";
import { zAddress, zBytes32, zUintString } from "../../kernel/schemas.ts";
import { zRelayBody } from "../../kernel/relay/forwardRequest.ts";

/** States of a credential in the trust registry, as `credentialStatus` reports them. */
export const CREDENTIAL_STATUSES = [
  "Unknown",
  "Valid",
  "Revoked",
  "NotYetValid",
  "Expired",
  "IssuerDeaccredited",
] as const;

/** An accredited issuer of one credential type. */
export const zIssuer = z.object({
  issuer: zAddress,
  typeId: zBytes32,
  /** The credential type name, when medchain knows the id. */
  type: z.string().nullable(),
  epoch: z.number().int().positive(),
  /** Unix seconds of the accreditation. */
  since: z.number().int(),
});

/** `GET /trust/issuers`. */
export const zIssuerList = z.object({ issuers: z.array(zIssuer) });

/** A role an account claimed, with its state at this moment (read from the chain). */
export const zRoleInfo = z.object({
  type: z.string().nullable(),
  typeId: zBytes32,
  credentialId: zBytes32,
  status: z.enum(CREDENTIAL_STATUSES),
  /** True while the role holds (status Valid). */
  valid: z.boolean(),
});

/** `GET /trust/roles/:address`. */
export const zRoles = z.object({ account: zAddress, roles: z.array(zRoleInfo) });

/** What one call of a proposal does, decoded where medchain knows the target. */
export const zGovAction = z.object({
  target: zAddress,
  kind: z.enum(["accredit", "deaccredit", "addMember", "removeMember", "setting", "call"]),
  issuer: zAddress.optional(),
  type: z.string().nullable().optional(),
  typeId: zBytes32.optional(),
  account: zAddress.optional(),
  /** For kind `setting`: which governance setting the call changes... */
  setting: z
    .enum(["votingDelaySeconds", "votingPeriodSeconds", "proposalThreshold", "quorumPercent", "timelockDelaySeconds"])
    .optional(),
  /** ...and its new value. */
  value: z.number().optional(),
  summary: z.string(),
});

/** Governor proposal states (OpenZeppelin ProposalState). */
export const PROPOSAL_STATE_NAMES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

/** A governance proposal with its state at this moment. */
export const zProposal = z.object({
  id: zUintString,
  proposer: zAddress,
  description: z.string(),
  state: z.enum(PROPOSAL_STATE_NAMES),
  actions: z.array(zGovAction),
  /** Voting opens after this unix second... */
  voteStart: z.number().int(),
  /** ...and closes after this one. */
  voteEnd: z.number().int(),
  /** Earliest execution (unix seconds) once queued. */
  eta: z.number().int().nullable(),
  votes: z.object({ for: z.number().int(), against: z.number().int(), abstain: z.number().int() }),
  createdAt: z.number().int(),
});

/** `GET /gov/proposals`: the consortium's settings, members and proposals. */
export const zGovStatus = z.object({
  members: z.array(zAddress),
  votingDelaySeconds: z.number().int(),
  votingPeriodSeconds: z.number().int(),
  timelockDelaySeconds: z.number().int(),
  quorumPercent: z.number().int(),
  proposals: z.array(zProposal),
});

/** `GET /credentials/challenge`: a single-use challenge for one presentation. */
export const zChallenge = z.object({ challenge: z.string(), domain: z.string(), expiresAt: z.string() });

/** `POST /credentials/verify` body. */
export const zVerifyBody = z.object({
  credential: z
    .string()
    .min(1)
    .max(64 * 1024),
});

/** A credential that passed every check, with its state in the trust registry. */
export const zVerifiedCredential = z.object({
  id: z.string(),
  credentialId: zBytes32,
  type: z.string(),
  typeId: zBytes32,
  issuer: zAddress,
  subject: zAddress,
  claims: z.record(z.string(), z.unknown()),
  validFrom: z.string(),
  validUntil: z.string(),
  issuedAt: z.string(),
  /** The credential's state in the trust registry (Unknown: never registered, so it gives no role). */
  registry: z.enum(CREDENTIAL_STATUSES),
});

/**
 * `POST /credentials/present` body: the presentation, and the holder's signed `claimRole` request for each credential.
 */
export const zPresentBody = z.object({
  presentation: z
    .string()
    .min(1)
    .max(256 * 1024),
  claims: z.array(zRelayBody).min(1).max(8),
});

/** `POST /credentials/present` answer. */
export const zPresentResult = z.object({
  holder: zAddress,
  roles: z.array(z.object({ type: z.string(), credentialId: zBytes32, txHash: zBytes32 })),
});

/** An accredited issuer. */
export type IssuerInfo = z.infer<typeof zIssuer>;
/** A claimed role and its state. */
export type RoleInfo = z.infer<typeof zRoleInfo>;
/** A decoded proposal action. */
export type GovAction = z.infer<typeof zGovAction>;
/** A proposal. */
export type ProposalInfo = z.infer<typeof zProposal>;
/** The governance overview. */
export type GovStatus = z.infer<typeof zGovStatus>;
/** A verified credential. */
export type VerifiedCredentialInfo = z.infer<typeof zVerifiedCredential>;

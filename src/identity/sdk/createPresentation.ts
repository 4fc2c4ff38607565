/**
 * Present credentials: a VC Data Model 1.1 presentation in the JWT encoding,
 * signed ES256K by the holder (the credentials' subject), bound to the
 * verifier's challenge (`nonce`) and domain (`aud`), short-lived (`exp`).
 */
import { createVerifiablePresentationJwt, type JwtPresentationPayload } from "did-jwt-vc";
import type { LocalAccount } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { didOf } from "../../accounts/sdk/did.ts";
import { VC_CONTEXT_V1 } from "./dataModel.ts";
import { accountSigner, decodeCompact, JWT_ALG } from "./jwt.ts";
import "./errors.ts";

/** Parameters of {@link createPresentation}. */
export interface CreatePresentationParameters {
  /** The holder: the subject of every credential presented. */
  holder: LocalAccount;
  chainId: number;
  /** VC-JWTs to present (at least one). */
  credentials: string[];
  /** The verifier's challenge (becomes `nonce`). */
  challenge: string;
  /** The verifier's domain (becomes `aud`). */
  domain: string;
  /** Lifetime of the presentation in seconds (default 600). */
  ttlSeconds?: number;
  /** Signing time (default now). */
  now?: Date;
}

/** Creates a presentation JWT. `InvalidCredential` when there is nothing to present or a credential is not a JWT. */
export async function createPresentation(params: CreatePresentationParameters): Promise<string> {
  const { holder, chainId, credentials, challenge, domain } = params;
  if (!Array.isArray(credentials) || credentials.length === 0) {
    throw new MedchainError("InvalidCredential", "a presentation needs at " + "least one credential", {
      details: { path: "verifiableCredential" },
    });
  }
  credentials.forEach((c, i) => {
    try {
      decodeCompact(c, "credential");
    } catch (err) {
      throw err instanceof MedchainError
        ? new MedchainError("InvalidCredential", err.shortMessage, { details: { path: `verifiableCredential[${i}]` } })
        : err;
    }
  });
  if (typeof challenge !== "string" || challenge.length === 0)
    throw new MedchainError("InvalidInput", "a presentation needs " + "the verifier's challenge");
  if (typeof domain !== "string" || domain.length === 0)
    throw new MedchainError("InvalidInput", "a presentation needs " + "the verifier's domain");
  const iat = Math.floor((params.now ?? new Date()).getTime() / 1000);
  const did = didOf(chainId, holder.address);
  const payload: JwtPresentationPayload = {
    vp: { "@context": [VC_CONTEXT_V1], type: ["VerifiablePresentation"], verifiableCredential: credentials },
    iss: did,
    nonce: challenge,
    aud: domain,
    iat,
    exp: iat + (params.ttlSeconds ?? 600),
  };
  return createVerifiablePresentationJwt(
    payload,
    { did, signer: accountSigner(holder), alg: JWT_ALG },
    { header: { kid: `${did}#blockchainAccountId` } },
  );
}

/**
 * JWT plumbing shared by issuing and verifying: an ES256K signer over a viem
 * local account (the account's own secp256k1 key; nothing else to manage),
 * a strict decoder, and the mapping of did-jwt errors to medchain codes.
 */
import { bytesToBase64url, decodeJWT, JWT_ERROR, type Signer } from "did-jwt";
import { hexToBytes, sha256, type LocalAccount } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import "./errors.ts";

/**
 * The JOSE algorithm medchain signs with: ECDSA over secp256k1 with SHA-256 (RFC 8812). `ES256K-R` is accepted when
 * verifying.
 */
export const JWT_ALG = "ES256K";

/** A decoded JWT (header, payload, signature, signing input). */
export type JWTDecoded = ReturnType<typeof decodeJWT>;

const ACCEPTED_ALGS: readonly string[] = ["ES256K", "ES256K-R"];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A did-jwt signer over `account` (ES256K: r||s of an ECDSA signature over SHA-256 of the signing input). */
export function accountSigner(account: LocalAccount): Signer {
  const sign = account.sign;
  if (sign === undefined)
    throw new MedchainError(
      "InvalidInput",
      "this account cannot sign a hash: a " + "local private-key account is needed",
    );
  return async (data: string | Uint8Array) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const signature = hexToBytes(await sign({ hash: sha256(bytes) }));
    return bytesToBase64url(signature.slice(0, 64));
  };
}

/** Decodes a compact JWS and checks its algorithm; `InvalidCredential` (details.path) when it is not one. */
export function decodeCompact(jwt: unknown, what: "credential" | "presentation"): JWTDecoded {
  if (typeof jwt !== "string" || !COMPACT_JWS.test(jwt)) {
    throw new MedchainError("InvalidCredential", `the ${what} is not a compact JWT`, { details: { path: "jwt" } });
  }
  let decoded: JWTDecoded;
  try {
    decoded = decodeJWT(jwt);
  } catch (cause) {
    throw new MedchainError("InvalidCredential", `the ${what} JWT cannot be decoded`, {
      cause,
      details: { path: "jwt" },
    });
  }
  if (!ACCEPTED_ALGS.includes(decoded.header.alg)) {
    throw new MedchainError("InvalidCredential", `the ${what} must be signed with ES256K`, {
      details: { path: "header.alg", alg: String(decoded.header.alg).slice(0, 16) },
    });
  }
  return decoded;
}

/** Maps an error of did-jwt / did-jwt-vc verification to a medchain error. */
export function jwtError(err: unknown, what: "credential" | "presentation", signerDid: string): MedchainError {
  const message = err instanceof Error ? err.message : String(err);
  const is = (code: string): boolean => message.startsWith(`${code}:`) || message.startsWith(code);
  if (is(JWT_ERROR.INVALID_SIGNATURE)) {
    return new MedchainError(
      "CredentialSignatureInvalid",
      `the ${what} signature does not verify against ${signerDid}`,
      { cause: err, details: { what } },
    );
  }
  if (is(JWT_ERROR.RESOLVER_ERROR)) {
    return new MedchainError("DidNotResolvable", `cannot resolve the DID that signed the ${what}`, {
      cause: err,
      details: { did: signerDid },
    });
  }
  if (is(JWT_ERROR.NO_SUITABLE_KEYS)) {
    return new MedchainError(
      "CredentialSignatureInvalid",
      `the DID that signed the ${what} has no ES256K key for this purpose`,
      { cause: err, details: { what, did: signerDid } },
    );
  }
  return new MedchainError("InvalidCredential", `the ${what} JWT is not valid`, {
    cause: err,
    details: { path: "jwt" },
  });
}

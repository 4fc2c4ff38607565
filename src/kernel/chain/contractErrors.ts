/**
 * Contract custom errors mapped onto medchain's one error model: a decoded
 * Solidity error (`RecordsNotWriter(owner, author)`) becomes a MedchainError
 * with a stable code, a one-line message and the error name and arguments in
 * `details`.
 *
 * Each slice maps the errors of its own contracts' ABIs with
 * {@link defineContractErrors}, whose type demands a rule for every error the
 * ABI declares (an error added to a contract and not mapped fails the type
 * check), and registers the table on import; {@link decodeRevert} decodes
 * against every table registered. The errors of OpenZeppelin's shared bases
 * (AccessControl, ERC-2771, SafeCast, ...) have their rules here, once.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  keccak256,
  RawContractError,
  toBytes,
  type Abi,
  type Hex,
} from "viem";
import { MedchainError, type ErrorCode } from "../errors.ts";

/** What a contract error becomes: a code and a one-line message. */
export interface ContractErrorOutcome {
  code: ErrorCode;
  message: string;
}

/** A fixed outcome, or one computed from the error's decoded arguments. */
export type ContractErrorRule = ContractErrorOutcome | ((args: readonly unknown[]) => ContractErrorOutcome);

/** The names of the custom errors an ABI declares. */
export type AbiErrorName<TAbi extends Abi> = Extract<TAbi[number], { type: "error" }>["name"];

/**
 * A rule for every custom error of `TAbi`, exhaustive by type: an error the ABI declares and the table does not map
 * fails the type check. Errors of shared OpenZeppelin bases are mapped once, in {@link COMMON_CONTRACT_ERRORS}.
 */
export type ContractErrorRules<TAbi extends Abi> = {
  readonly [N in Exclude<AbiErrorName<TAbi>, CommonContractErrorName>]: ContractErrorRule;
} & { readonly [N in Extract<AbiErrorName<TAbi>, CommonContractErrorName>]?: ContractErrorRule };

/** A slice's contract errors: the ABI they come from and a rule for each. */
export interface ContractErrorTable {
  /** Name of the slice (for messages and the coverage test). */
  slice: string;
  /** Every error of the slice's contracts. */
  abi: Abi;
  /** A rule for each of them. */
  rules: Readonly<Record<string, ContractErrorRule>>;
}

/** keccak256("GOVERNANCE_ROLE"), as in TrustRegistry. */
export const GOVERNANCE_ROLE = keccak256(toBytes("GOVERNANCE_ROLE"));

/**
 * Rules of errors declared by bases that several slices' contracts inherit: OpenZeppelin's and the Merkle-root anchor.
 */
export const COMMON_CONTRACT_ERRORS = {
  AccessControlUnauthorizedAccount: (args: readonly unknown[]): ContractErrorOutcome =>
    String(args[1]).toLowerCase() === GOVERNANCE_ROLE
      ? { code: "AccessDenied", message: "only the consortium's governance, through the timelock, can do this" }
      : { code: "AccessDenied", message: "this account does not hold the role this action requires" },
  AnchorRootExists: {
    code: "InvalidInput",
    message: "this Merkle root (audit batch or batch " + "of supply events) is already anchored",
  },
  AnchorUnknownId: { code: "NotFound", message: "no such anchor (audit anchor or supply batch)" },
  AnchorEmptyRoot: {
    code: "InvalidInput",
    message: "an anchor needs a root and at least " + "one leaf (audit event or supply event)",
  },
  AccessControlBadConfirmation: { code: "InvalidInput", message: "an account can only renounce its own roles" },
  ERC2771ForwarderInvalidSigner: {
    code: "InvalidSignature",
    message: "the request signature " + "does not match its sender",
  },
  ERC2771ForwarderExpiredRequest: { code: "InvalidSignature", message: "the signed request has expired" },
  ERC2771UntrustfulTarget: { code: "InvalidInput", message: "the target contract does not trust the forwarder" },
  ERC2771ForwarderMismatchedValue: {
    code: "InvalidInput",
    message: "the request's value does " + "not match what was sent",
  },
  InvalidAccountNonce: { code: "InvalidSignature", message: "the signed request was already used (wrong nonce)" },
  SafeCastOverflowedUintDowncast: { code: "InvalidInput", message: "a number is too large" },
  SafeCastOverflowedIntDowncast: { code: "InvalidInput", message: "a number is too large" },
  SafeCastOverflowedUintToInt: { code: "InvalidInput", message: "a number is too large" },
  SafeCastOverflowedIntToUint: { code: "InvalidInput", message: "a number is negative" },
  FailedCall: { code: "ContractReverted", message: "a call made by the contract failed" },
  InsufficientBalance: { code: "ContractReverted", message: "the contract holds too little to make this call" },
  AddressEmptyCode: { code: "ContractReverted", message: "the call's target has no code" },
  FailedInnerCall: { code: "ContractReverted", message: "a call made by the contract failed" },
  InvalidShortString: { code: "Internal", message: "invalid contract metadata" },
  StringTooLong: { code: "Internal", message: "invalid contract metadata" },
  ECDSAInvalidSignature: { code: "InvalidSignature", message: "the signature is malformed" },
  ECDSAInvalidSignatureLength: { code: "InvalidSignature", message: "the signature has the wrong length" },
  ECDSAInvalidSignatureS: { code: "InvalidSignature", message: "the signature is malleable (high s)" },
  ERC721InvalidOwner: { code: "InvalidInput", message: "a token owner cannot be the zero address" },
  ERC721NonexistentToken: { code: "NotFound", message: "no such token" },
  ERC721IncorrectOwner: { code: "NotOwner", message: "the account does not own this token" },
  ERC721InvalidSender: { code: "InvalidInput", message: "the token's sender is invalid" },
  ERC721InvalidReceiver: { code: "InvalidInput", message: "the token's receiver is invalid" },
  ERC721InsufficientApproval: { code: "AccessDenied", message: "the caller may not move this token" },
  ERC721InvalidApprover: { code: "InvalidInput", message: "an approval needs a valid owner" },
  ERC721InvalidOperator: { code: "InvalidInput", message: "an approval needs a valid operator" },
} as const satisfies Record<string, ContractErrorRule>;

/** The rules every slice may take from {@link COMMON_CONTRACT_ERRORS}. */
export type CommonContractErrorName = keyof typeof COMMON_CONTRACT_ERRORS;

const TABLES = new Map<string, ContractErrorTable>();
const RULES = new Map<string, ContractErrorRule>(Object.entries(COMMON_CONTRACT_ERRORS));
let errorsAbi: Abi = [];

/**
 * Declares and registers a slice's contract-error table. The `rules` must name every error of `abi`
 * (shared OpenZeppelin errors may come from {@link COMMON_CONTRACT_ERRORS}, spread in).
 */
export function defineContractErrors<const TAbi extends Abi>(
  slice: string,
  abi: TAbi,
  rules: ContractErrorRules<TAbi>,
): ContractErrorTable {
  const table: ContractErrorTable = { slice, abi, rules };
  TABLES.set(slice, table);
  const seen = new Set(errorsAbi.flatMap((x) => (x.type === "error" ? [x.name] : [])));
  errorsAbi = [...errorsAbi, ...abi.filter((x) => x.type === "error" && !seen.has(x.name))];
  for (const [name, rule] of Object.entries(rules as Record<string, ContractErrorRule>)) {
    const known = RULES.get(name);
    if (known !== undefined && known !== rule && !(name in COMMON_CONTRACT_ERRORS)) {
      throw new Error(`contract error ${name} is mapped by two slices (${slice} and another)`);
    }
    RULES.set(name, rule);
  }
  return table;
}

/** Every registered contract-error table (for the coverage test). */
export function contractErrorTables(): ContractErrorTable[] {
  return [...TABLES.values()];
}

/** Every custom error of every registered slice (to decode raw revert data). */
export function registeredErrorsAbi(): Abi {
  return errorsAbi;
}

function stringify(v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** A MedchainError for a decoded contract error (`ContractReverted` naming it when no slice maps it). */
export function errorForContractError(errorName: string, args: readonly unknown[] = []): MedchainError {
  const details = { details: { contractError: errorName, args: args.map(stringify) } };
  const rule = RULES.get(errorName);
  const m =
    rule === undefined
      ? { code: "ContractReverted" as const, message: `the contract refused the call (${errorName})` }
      : typeof rule === "function"
        ? rule(args)
        : rule;
  return new MedchainError(m.code, m.message, details);
}

/** Finds revert data in a viem error chain and decodes it; null when the error is not a revert. */
export function decodeRevert(err: unknown): MedchainError | null {
  if (!(err instanceof BaseError)) return null;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName !== undefined) {
    return errorForContractError(reverted.data.errorName, reverted.data.args ?? []);
  }
  const raw = err.walk((e) => e instanceof RawContractError || typeof (e as { data?: unknown }).data === "string");
  const data = (raw as { data?: unknown } | null)?.data;
  if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
    try {
      const d = decodeErrorResult({ abi: errorsAbi, data: data as Hex });
      return errorForContractError(d.errorName, d.args ?? []);
    } catch {
      return new MedchainError("ContractReverted", "the contract refused the call", {
        details: { selector: data.slice(0, 10) },
      });
    }
  }
  if (reverted !== null || /revert/i.test(err.shortMessage)) {
    return new MedchainError("ContractReverted", "the contract refused the call", { cause: err });
  }
  return null;
}

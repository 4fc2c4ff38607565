/**
 * A keeper: an institution's key-release node. It holds one Shamir share of
 * every category key (HPKE-wrapped to it inside each batch manifest) and
 * releases its share, re-wrapped to the requester, only after checking AT
 * THAT MOMENT: the requester's EIP-712 signature, freshness (expiry window,
 * nonce never seen), the on-chain grant (or break-glass) covering requester,
 * category and purpose, and that the record is not erased. Every decision,
 * release or refusal, is an audit event; events are batched into Merkle
 * trees whose roots are anchored on chain.
 */
import { concat, keccak256, recoverTypedDataAddress, toHex, type PublicClient } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { MedchainError, type ErrorCode } from "../kernel/errors.ts";
import { consentRegistryAbi, keyRegistryAbi, recordRegistryAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import { CATEGORY, type CategoryName } from "../kernel/categories.ts";
import { zManifest } from "../kernel/manifest.ts";
import { cidFromDigest, cidOf } from "../kernel/crypto/cid.ts";
import { fromBase64, fromHex, toBase64, utf8Decode, utf8Encode } from "../kernel/crypto/bytes.ts";
import { unwrapKey, wrapKey } from "../kernel/crypto/hpke.ts";
import { MerkleTree } from "../kernel/crypto/merkle.ts";
import { purposesOfMask } from "../kernel/purposes.ts";
import { auditLeaf, type AuditEntry } from "../audit/sdk/auditEvent.ts";
import {
  KEY_RELEASE_TYPES,
  MAX_REQUEST_TTL,
  SHARE_LABEL,
  keyReleaseDomain,
  type KeyRelease,
  type ReleasedShare,
} from "./sdk/schemas.ts";
import type { KeeperState } from "./keeperState.ts";
import "../accounts/sdk/errors.ts";
import "../consent/sdk/errors.ts";
import "./sdk/errors.ts";

/** Contract addresses a keeper reads. */
export interface KeeperContracts {
  chainId: number;
  recordRegistry: `0x${string}`;
  keyRegistry: `0x${string}`;
  consentRegistry: `0x${string}`;
  auditAnchor: `0x${string}`;
}

/** What a keeper needs around it. */
export interface KeeperDeps {
  index: number;
  state: KeeperState;
  client: PublicClient;
  contracts: KeeperContracts;
  /** Fetches a blob (the batch manifest) by CID. */
  fetchBlob: (cid: string) => Promise<Uint8Array>;
  /** Anchors an audit root on chain as this keeper (gasless through the relayer). */
  anchorRoot: (account: PrivateKeyAccount, root: `0x${string}`, count: number, digest: `0x${string}`) => Promise<void>;
}

const CATEGORY_BY_BIT = Object.fromEntries(Object.entries(CATEGORY).map(([n, b]) => [b, n])) as Record<
  number,
  CategoryName
>;
const ZERO = "0x0000000000000000000000000000000000000000";

/** A key-release node. */
export class Keeper {
  readonly index: number;
  readonly #d: KeeperDeps;
  #account: PrivateKeyAccount | undefined;
  #encPriv: Uint8Array | undefined;
  #encPub: Uint8Array | undefined;
  #anchoring: Promise<void> | undefined;

  private constructor(deps: KeeperDeps) {
    this.index = deps.index;
    this.#d = deps;
  }

  /** Loads (or creates) the keeper's identity. */
  static async open(deps: KeeperDeps): Promise<Keeper> {
    const k = new Keeper(deps);
    const id = await deps.state.identity();
    k.#account = privateKeyToAccount(id.signingKey);
    k.#encPriv = id.encryptionPrivateKey;
    k.#encPub = id.encryptionPublicKey;
    return k;
  }

  /** The keeper's signing account. */
  get account(): PrivateKeyAccount {
    if (this.#account === undefined) throw new MedchainError("Internal", "keeper not opened");
    return this.#account;
  }

  /** The keeper's address (lowercase). */
  get address(): `0x${string}` {
    return this.account.address.toLowerCase() as `0x${string}`;
  }

  /** The keeper's X25519 public key. */
  get encryptionPublicKey(): `0x${string}` {
    return toHex(this.#encPub ?? new Uint8Array(32));
  }

  async #now(): Promise<bigint> {
    const block = await this.#d.client.getBlock({ blockTag: "latest" });
    const wall = BigInt(Math.floor(Date.now() / 1000));
    return block.timestamp > wall ? block.timestamp : wall;
  }

  /**
   * Checks a request against the chain now; returns the patient and whether it relies on break-glass. Throws the
   * precise refusal.
   */
  async #authorize(
    req: KeyRelease,
    signature: `0x${string}`,
  ): Promise<{ patient: `0x${string}`; breakGlass: boolean; manifestCid: string }> {
    const { client, contracts } = this.#d;
    const signer = await recoverTypedDataAddress({
      domain: keyReleaseDomain(contracts.chainId, contracts.consentRegistry),
      types: KEY_RELEASE_TYPES,
      primaryType: "KeyRelease",
      message: { ...req, grantId: BigInt(req.grantId), expiresAt: BigInt(req.expiresAt) },
      signature,
    }).catch(() => ZERO);
    if (signer.toLowerCase() !== req.requester.toLowerCase())
      throw new MedchainError("InvalidSignature", "the request is not signed by its requester");
    const now = await this.#now();
    if (BigInt(req.expiresAt) <= now)
      throw new MedchainError("RequestExpired", "the key request has expired; sign a fresh one");
    if (BigInt(req.expiresAt) > now + BigInt(MAX_REQUEST_TTL))
      throw new MedchainError("RequestExpired", `a key request may be valid for at most ${MAX_REQUEST_TTL} s`);
    if (!this.#d.state.useNonce(req.nonce))
      throw new MedchainError("RequestReplayed", "this key request was already used (replay)");
    if (CATEGORY_BY_BIT[req.category] === undefined)
      throw new MedchainError("InvalidInput", "unknown category", { details: { category: req.category } });

    let batch;
    try {
      batch = await client.readContract({
        address: contracts.recordRegistry,
        abi: recordRegistryAbi,
        functionName: "getBatch",
        args: [req.batchId],
      });
    } catch (err) {
      throw (
        decodeRevert(err) ??
        new MedchainError("ChainUnavailable", "cannot read the record from the chain", { cause: err })
      );
    }
    const patient = batch.owner.toLowerCase() as `0x${string}`;
    if (batch.erased) throw Object.assign(new MedchainError("RecordErased", "the record has been erased"), { patient });
    let grant;
    try {
      grant = await client.readContract({
        address: contracts.consentRegistry,
        abi: consentRegistryAbi,
        functionName: "getGrant",
        args: [BigInt(req.grantId)],
      });
    } catch (err) {
      const e = decodeRevert(err);
      throw Object.assign(
        e?.code === "ContractReverted" || e?.code === "InvalidInput"
          ? new MedchainError("GrantNotFound", "no such grant")
          : (e ?? new MedchainError("ChainUnavailable", "cannot read the grant", { cause: err })),
        { patient },
      );
    }
    const refuse = (code: ErrorCode, msg: string): never => {
      throw Object.assign(new MedchainError(code, msg), { patient, breakGlass: grant.breakGlass });
    };
    if (grant.patient.toLowerCase() !== patient) refuse("AccessDenied", "the grant is for another patient's record");
    if (grant.grantee.toLowerCase() !== req.requester.toLowerCase())
      refuse("NotGrantee", "the grant was given to someone else");
    if (grant.revoked) refuse("GrantRevoked", "the grant has been revoked");
    if (now < grant.notBefore) refuse("GrantNotYetValid", "the grant is not valid yet");
    if (now >= grant.expiresAt) refuse("GrantExpired", "the grant has expired");
    const catBit = 1 << req.category;
    const purposeBit = 1 << req.purpose;
    if ((batch.categories & catBit) === 0) refuse("ScopeNotGranted", "the record holds no data of that category");
    if ((grant.categories & catBit) === 0) refuse("ScopeNotGranted", "the grant does not cover that category");
    if ((grant.purposes & purposeBit) === 0)
      refuse("PurposeNotGranted", "the grant does not cover that purpose of use");
    const valid = await client.readContract({
      address: contracts.consentRegistry,
      abi: consentRegistryAbi,
      functionName: "isGrantValid",
      args: [BigInt(req.grantId), req.requester, catBit, purposeBit],
    });
    if (!valid) refuse("AccessDenied", "the consent registry does not authorize this request");
    return { patient, breakGlass: grant.breakGlass, manifestCid: cidFromDigest(batch.manifestDigest) };
  }

  /** Handles one key-release request: checks, re-wraps the share, audits. */
  async release(req: KeyRelease, signature: `0x${string}`): Promise<ReleasedShare> {
    const category = CATEGORY_BY_BIT[req.category] ?? `bit${req.category}`;
    const audit = (outcome: string, patient: string, breakGlass: boolean): void => {
      this.#d.state.appendEvent({
        keeper: this.address,
        at: Math.floor(Date.now() / 1000),
        requester: req.requester.toLowerCase() as `0x${string}`,
        patient: patient as `0x${string}`,
        batchId: req.batchId,
        category,
        purpose: purposesOfMask(1 << req.purpose)[0] ?? `bit${req.purpose}`,
        grantId: req.grantId,
        breakGlass,
        outcome,
      });
    };
    let ok;
    try {
      ok = await this.#authorize(req, signature);
    } catch (err) {
      const e = err instanceof MedchainError ? err : new MedchainError("Internal", "keeper failure", { cause: err });
      const extra = err as { patient?: string; breakGlass?: boolean };
      audit(e.code, extra.patient ?? ZERO, extra.breakGlass ?? false);
      throw e;
    }
    const share = await this.#share(req, ok.manifestCid, category);
    const requesterKey = await this.#d.client.readContract({
      address: this.#d.contracts.keyRegistry,
      abi: keyRegistryAbi,
      functionName: "encryptionKeyOf",
      args: [req.requester],
    });
    if (BigInt(requesterKey[0]) === 0n) {
      audit("EncryptionKeyMissing", ok.patient, ok.breakGlass);
      throw new MedchainError("EncryptionKeyMissing", "the requester has no published encryption key");
    }
    const wrapped = await wrapKey(
      fromHex(requesterKey[0]),
      share,
      utf8Encode(SHARE_LABEL.releaseInfo),
      utf8Encode(SHARE_LABEL.releaseAad(req.batchId, req.category, req.requester, req.nonce)),
    );
    share.fill(0);
    audit("released", ok.patient, ok.breakGlass);
    return { keeper: this.address, enc: toBase64(wrapped.enc), ct: toBase64(wrapped.ct) };
  }

  async #share(req: KeyRelease, manifestCid: string, category: string): Promise<Uint8Array> {
    const bytes = await this.#d.fetchBlob(manifestCid);
    if ((await cidOf(bytes)) !== manifestCid)
      throw new MedchainError("IntegrityError", "the manifest does not match its content id", {
        details: { record: req.batchId },
      });
    const m = zManifest.parse(JSON.parse(utf8Decode(bytes)));
    const section = m.sections.find((s) => s.category === category);
    const mine = section?.shares?.find((s) => s.keeper === this.address);
    if (mine === undefined)
      throw new MedchainError("KeepersUnavailable", "this keeper holds no share for that record", {
        details: { keeper: this.address },
      });
    return unwrapKey(
      this.#encPriv ?? new Uint8Array(),
      { enc: fromBase64(mine.enc), ct: fromBase64(mine.ct) },
      utf8Encode(SHARE_LABEL.info),
      utf8Encode(SHARE_LABEL.aad(req.batchId, category, this.address)),
    );
  }

  /** Anchors every event not yet anchored as one Merkle batch (no-op when none). */
  anchorPending(): Promise<void> {
    this.#anchoring ??= this.#anchor().finally(() => {
      this.#anchoring = undefined;
    });
    return this.#anchoring;
  }

  async #anchor(): Promise<void> {
    const st = this.#d.state;
    const from = st.firstUnanchored;
    const to = st.events.length - 1;
    if (to < from) return;
    const leaves = st.events.slice(from, to + 1).map(auditLeaf);
    const tree = MerkleTree.of(leaves);
    // The batch digest commits to the exact leaf sequence (the root alone is order-insensitive).
    const digest = keccak256(concat(leaves));
    await this.#d.anchorRoot(this.account, tree.root, leaves.length, digest);
    st.appendAnchored({ root: tree.root, fromSeq: from, toSeq: to });
  }

  /** The patient's events with inclusion proofs (null anchor while pending). Newest first. */
  auditFor(patient: `0x${string}`): AuditEntry[] {
    const st = this.#d.state;
    const out: AuditEntry[] = [];
    for (const b of st.anchored) {
      const events = st.events.slice(b.fromSeq, b.toSeq + 1);
      let tree: MerkleTree | undefined;
      events.forEach((e, i) => {
        if (e.patient !== patient.toLowerCase()) return;
        tree ??= MerkleTree.of(events.map(auditLeaf));
        out.push({ event: e, anchor: { root: b.root, proof: tree.proof(i) } });
      });
    }
    for (const e of st.events.slice(st.firstUnanchored))
      if (e.patient === patient.toLowerCase()) out.push({ event: e, anchor: null });
    return out.sort((a, b) => b.event.at - a.event.at || b.event.seq - a.event.seq);
  }

  /** Whether `requester` may read `patient`'s access log (herself or her delegate), checked on chain. */
  async mayReadAudit(requester: `0x${string}`, patient: `0x${string}`): Promise<boolean> {
    if (requester.toLowerCase() === patient.toLowerCase()) return true;
    return this.#d.client.readContract({
      address: this.#d.contracts.consentRegistry,
      abi: consentRegistryAbi,
      functionName: "isDelegate",
      args: [patient, requester],
    });
  }
}

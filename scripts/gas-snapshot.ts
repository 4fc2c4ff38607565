/**
 * Gas snapshot of every external state-changing function of the medchain contracts.
 *
 *   node --import tsx scripts/gas-snapshot.ts            measure, print, compare with the snapshot (never fails on a diff)
 *   node --import tsx scripts/gas-snapshot.ts --check    measure and exit 1 if anything differs from snapshots/gas.json
 *   node --import tsx scripts/gas-snapshot.ts --update   measure and rewrite snapshots/gas.json
 *
 * Compiles the contracts first (Hardhat `build`, a no-op when nothing changed), then deploys them on a
 * fresh in-process EDR chain from `network.connect()` and runs one fixed scenario. Figures are the
 * receipts' `gasUsed` (whole transactions, intrinsic cost included); the scenario uses fixed keys,
 * inputs and deadlines and a fresh chain, so every figure is deterministic.
 *
 * Entry names are `Contract.function[.variant]`:
 *   *.deploy                                   contract creation
 *   KeyRegistry.publishEncryptionKey           first key of an account (zero -> non-zero slots)
 *   KeyRegistry.publishEncryptionKey.replace   second key of the same account
 *   RecordRegistry.appendBatch                 owner appends its first batch (batchCount 0 -> 1)
 *   RecordRegistry.appendBatch.byWriter        authorized writer appends the owner's second batch
 *   *.viaForwarder                             the same call relayed through MedchainForwarder.execute
 *                                              by a relayer (what the relayer pays); the signer's first
 *                                              relayed request (nonce 0 -> 1)
 *   MedchainForwarder.executeBatch.appendBatchx2  two relayed appends in one executeBatch
 *   RecordRegistry.rotateBatch                 owner rotates a batch a writer appended (version 1 -> 2:
 *                                              digest, root and version rewritten, non-zero -> non-zero)
 *   RecordRegistry.rotateBatch.viaForwarder    a relayed owner rotates its batch (its fourth relayed request);
 *                                              both rotations run last, so that no earlier figure moves
 *   ConsentRegistry.grant                      patient issues the registry's first grant (grantCount 0 -> 1)
 *   ConsentRegistry.grant.byDelegate           a delegate issues the patient's second grant
 *   ConsentRegistry.setDelegate[.withdraw]     patient names a delegate (false -> true) / withdraws it
 *   ConsentRegistry.revoke[.byDelegate]        patient / delegate revokes a grant
 *   ConsentRegistry.breakGlass                 a licensed clinician opens the registry's third grant (the trust
 *                                              registry's checkRole included)
 *   AuditAnchor.grantRole                      AccessControl by the admin
 *   ConsentRegistry.*.viaForwarder             grant and revoke (by a delegate) are their signer's first relayed
 *                                              request (nonce 0 -> 1); setDelegate is the patient's second;
 *                                              breakGlass is the clinician's second (after its relayed claimRole)
 *   TrustRegistry.deploy                       the registry the consent scenario uses, deployed (and governed) by a
 *                                              separate account so that the relayer's addresses do not move
 *   TrustRegistry.accredit                     governance accredits a medical board (first accreditation)
 *   TrustRegistry.registerCredential           the board registers a clinician's licence (first credential)
 *   TrustRegistry.claimRole                    the clinician claims the clinician role with it
 *   TrustRegistry.registerCredential.second    the board registers a second licence (for a relayed clinician)
 *   TrustRegistry.claimRole.viaForwarder       that clinician's relayed claim (its first relayed request)
 *   TrustRegistry.revokeCredential             the board revokes the first licence (false -> true)
 *   AuditAnchor.anchor                         a keeper anchors the first root (anchorCount 0 -> 1)
 *   AuditAnchor.anchor.viaForwarder            a keeper's relayed anchor of the second root
 *
 * Supply (issue 4), measured last so that no earlier figure moves:
 *   TradingPartners.grantRole                  the admin grants REGISTRAR_ROLE
 *   TradingPartners.registerPartner            a wholesaler (no company prefix)
 *   TradingPartners.registerPartner.withPrefix a manufacturer with a 7-digit prefix (prefix node + 3 marks)
 *   TradingPartners.registerPartner.viaForwarder  a relayed registrar registers a wholesaler
 *   TradingPartners.addCompanyPrefix           a second 7-digit prefix of the manufacturer
 *   TradingPartners.setPartnerActive           the registrar suspends a partner (true -> false)
 *   TrustRegistry.registerCredentialWithClaims a GS1 issuer registers a trading-partner credential with its
 *                                              claims digest (the supply scenario's own registry, not recorded)
 *   TradingPartners.registerWithCredential     a wholesaler joins with its credential (credential checked in the
 *                                              trust registry, claims digest compared), no prefix registered
 *   TradingPartners.registerWithCredential.viaForwarder  a relayed wholesaler joins (its first relayed request)
 *   SupplyAnchor.anchorBatch.credentialPartner the credential partner's first batch (credential checked too)
 *   TradingPartners.renewCredential            after its credential was revoked, the wholesaler renews with a new
 *                                              one (old claims digest read, new credential checked, slot rewritten)
 *   SupplyAnchor.anchorBatch                   the first batch (batchCount 0 -> 1): a manufacturer's root
 *                                              over 8 commissioning events; the gas does not depend on the
 *                                              number of events (only the count's calldata bytes do)
 *   SupplyAnchor.anchorBatch.viaForwarder      a relayed wholesaler anchors its shipping batch
 *   SupplyAnchor.recall / .clearRecall         the manufacturer recalls a lot of one of its GTINs / clears it
 *   DigitalTwin.mintTwin[.sameHolder]          the manufacturer mints a twin to itself (its balance 0 -> 1 /
 *                                              1 -> 2), proving a commissioning event (proof of 3 nodes)
 *   DigitalTwin.transferCustody[.viaForwarder] manufacturer -> wholesaler / relayed wholesaler -> dispenser,
 *                                              each proving its own shipping event
 *   DigitalTwin.decommission                   the dispenser burns a twin, proving its dispensing event
 *   Baseline.ozMint[.sameHolder]               OpenZeppelin ERC721 `_safeMint` of one token to an EOA (its
 *                                              balance 0 -> 1 / 1 -> 2; test/contracts/supply/OzMintBaseline.sol):
 *                                              gas per unit of one token per unit, for comparison
 *
 * Identity and governance (issue 5), measured after supply: the consortium as the node deploys it (periods: the
 * embedded defaults, 1 s delay, 5 min vote, 10 min timelock; the relayer is the timelock's temporary admin):
 *   MedchainTimelock/MedchainMembership/MedchainGovernor/TrustRegistry.deploy.governance
 *   MedchainMembership.genesis.4members        four founding members minted once
 *   MedchainGovernor.propose                   a member proposes to accredit an issuer (first proposal)
 *   MedchainGovernor.propose.viaForwarder      a relayed member's proposal (its first relayed request)
 *   MedchainGovernor.castVote[.viaForwarder]   a member votes For (first vote of a proposal) / a relayed member's
 *                                              vote For on the same proposal
 *   MedchainGovernor.queue                     the passed proposal is scheduled in the timelock
 *   MedchainGovernor.execute                   after the delay: the timelock runs TrustRegistry.accredit
 *   TrustRegistry.deaccredit                   governance withdraws the consent scenario's board (1 -> 0)
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  encodeAbiParameters,
  encodeFunctionData,
  keccak256,
  parseAbiParameters,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { FORWARD_REQUEST_TYPES } from "../src/kernel/relay/forwardRequest.ts";

type Snapshot = Record<string, number>;

const SNAPSHOT_PATH = path.resolve(import.meta.dirname, "..", "snapshots", "gas.json");
/** A far-future deadline (2096): fixed so that the signed calldata, hence the gas, never changes. */
const DEADLINE = 4_000_000_000;
const RELAY_GAS = 300_000n;
const CATEGORIES = 0b101;
const COUNT = 12;
/** Consent: observations | medications, TREAT | CAREMGT, a 30-day period from a fixed past start to 2096. */
const GRANT_CATEGORIES = 0b11000;
const GRANT_PURPOSES = 0b100000001;
const GRANT_NOT_BEFORE = 1_700_000_000n;
const GRANT_EXPIRES_AT = 4_000_000_000n;
/** Break-glass cap (demographics, clinical, observations, medications, immunizations, allergies) and duration. */
const BREAK_GLASS_CAP = 0b1111101;
const BREAK_GLASS_DURATION = 4n * 3600n;
const CLINICIAN_TYPE = keccak256(toHex("ClinicianLicenceCredential"));
const KEEPER_ROLE = keccak256(toHex("KEEPER_ROLE"));
const REGISTRAR_ROLE = keccak256(toHex("REGISTRAR_ROLE"));
/** Supply: partner kinds, GLNs (valid check digits), GS1 Company Prefixes and a GTIN-14 under the first. */
const KIND = { manufacturer: 1, wholesaler: 3, dispenser: 4 } as const;
const GLN = [614141000012n, 614141000029n, 614141000036n, 614141000043n, 614141000050n, 614141000067n, 614141000074n] as const;
const TRADING_PARTNER_TYPE = keccak256(toHex("AuthorizedTradingPartnerCredential"));
const SUPPLY_GTIN = 614141123452n; // (01)00614141123452
const SUPPLY_LOT = "LOT-2026/A1";


function fixed(label: string): Hex {
  return keccak256(toHex(`medchain gas snapshot: ${label}`));
}

async function measure(): Promise<Snapshot> {
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });

  const connection = await hre.network.connect();
  try {
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const [relayer, patient, provider, otherPatient] = await viem.getWalletClients();
    if (relayer === undefined || patient === undefined || provider === undefined || otherPatient === undefined) {
      throw new Error("the default network must expose at least 4 accounts");
    }
    const chainId = await publicClient.getChainId();
    const gas: Snapshot = {};

    const artifact = async (name: string): Promise<{ abi: Abi; bytecode: Hex }> => {
      const a = await hre.artifacts.readArtifact(name);
      return { abi: a.abi as Abi, bytecode: a.bytecode as Hex };
    };
    const forwarderArtifact = await artifact("MedchainForwarder");
    const keysArtifact = await artifact("KeyRegistry");
    const recordsArtifact = await artifact("RecordRegistry");

    const receipt = async (hash: Hex): Promise<TransactionReceipt> => {
      const r = await publicClient.waitForTransactionReceipt({ hash });
      if (r.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return r;
    };
    const record = (name: string, r: TransactionReceipt): void => {
      if (name in gas) throw new Error(`duplicate gas entry ${name}`);
      gas[name] = Number(r.gasUsed);
    };

    const deploy = async (name: string, art: { abi: Abi; bytecode: Hex }, args: readonly unknown[]): Promise<Address> => {
      const hash = await relayer.deployContract({ abi: art.abi, bytecode: art.bytecode, args });
      const r = await receipt(hash);
      if (r.contractAddress == null) throw new Error(`${name}: no contract address`);
      record(`${name}.deploy`, r);
      return r.contractAddress;
    };

    const forwarder = await deploy("MedchainForwarder", forwarderArtifact, []);
    const keys = await deploy("KeyRegistry", keysArtifact, [forwarder]);
    const records = await deploy("RecordRegistry", recordsArtifact, [forwarder]);

    type Wallet = typeof relayer;
    const call = async (
      name: string,
      from: Wallet,
      to: Address,
      abi: Abi,
      functionName: string,
      args: readonly unknown[],
    ): Promise<void> => {
      const hash = await from.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }) });
      record(name, await receipt(hash));
    };

    // Signers of relayed requests: fixed local keys that never hold ether.
    const relayedPatient = privateKeyToAccount(fixed("relayed patient"));
    const relayedProvider = privateKeyToAccount(fixed("relayed provider"));
    const nonces = new Map<Address, bigint>();

    const signRequest = async (signer: PrivateKeyAccount, to: Address, data: Hex) => {
      const nonce = nonces.get(signer.address) ?? 0n;
      nonces.set(signer.address, nonce + 1n);
      const message = { from: signer.address, to, value: 0n, gas: RELAY_GAS, nonce, deadline: DEADLINE, data };
      const signature = await signer.signTypedData({
        domain: { name: "MedchainForwarder", version: "1", chainId, verifyingContract: forwarder },
        types: FORWARD_REQUEST_TYPES,
        primaryType: "ForwardRequest",
        message,
      });
      return { from: signer.address, to, value: 0n, gas: RELAY_GAS, deadline: DEADLINE, data, signature };
    };
    const relay = async (name: string, signer: PrivateKeyAccount, to: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
      const request = await signRequest(signer, to, encodeFunctionData({ abi, functionName, args }));
      await call(name, relayer, forwarder, forwarderArtifact.abi, "execute", [request]);
    };

    // --- KeyRegistry
    await call("KeyRegistry.publishEncryptionKey", patient, keys, keysArtifact.abi, "publishEncryptionKey", [fixed("key 1")]);
    await call("KeyRegistry.publishEncryptionKey.replace", patient, keys, keysArtifact.abi, "publishEncryptionKey", [fixed("key 2")]);
    await relay("KeyRegistry.publishEncryptionKey.viaForwarder", relayedPatient, keys, keysArtifact.abi, "publishEncryptionKey", [fixed("key 3")]);

    // --- RecordRegistry, direct
    const batch = (label: string, owner: Address) =>
      [fixed(`batch ${label}`), owner, CATEGORIES, fixed(`manifest ${label}`), fixed(`root ${label}`), COUNT] as const;
    await call("RecordRegistry.authorizeWriter", patient, records, recordsArtifact.abi, "authorizeWriter", [provider.account.address]);
    await call("RecordRegistry.appendBatch", patient, records, recordsArtifact.abi, "appendBatch", batch("1", patient.account.address));
    await call("RecordRegistry.appendBatch.byWriter", provider, records, recordsArtifact.abi, "appendBatch", batch("2", patient.account.address));
    await call("RecordRegistry.shredBatch", patient, records, recordsArtifact.abi, "shredBatch", [fixed("batch 1")]);
    await call("RecordRegistry.revokeWriter", patient, records, recordsArtifact.abi, "revokeWriter", [provider.account.address]);

    // --- RecordRegistry, relayed (the patient never pays gas)
    await relay("RecordRegistry.authorizeWriter.viaForwarder", relayedPatient, records, recordsArtifact.abi, "authorizeWriter", [relayedProvider.address]);
    await relay("RecordRegistry.appendBatch.viaForwarder", relayedProvider, records, recordsArtifact.abi, "appendBatch", batch("3", relayedPatient.address));
    await relay("RecordRegistry.shredBatch.viaForwarder", relayedPatient, records, recordsArtifact.abi, "shredBatch", [fixed("batch 3")]);
    await relay("RecordRegistry.revokeWriter.viaForwarder", relayedPatient, records, recordsArtifact.abi, "revokeWriter", [relayedProvider.address]);

    // --- MedchainForwarder.executeBatch: two relayed appends of another owner
    const requests = [
      await signRequest(relayedProvider, records, encodeFunctionData({ abi: recordsArtifact.abi, functionName: "appendBatch", args: batch("4", relayedProvider.address) })),
      await signRequest(relayedProvider, records, encodeFunctionData({ abi: recordsArtifact.abi, functionName: "appendBatch", args: batch("5", relayedProvider.address) })),
    ];
    await call("MedchainForwarder.executeBatch.appendBatchx2", relayer, forwarder, forwarderArtifact.abi, "executeBatch", [requests, relayer.account.address]);

    // Sanity: the relayed batch really belongs to the signer (a wrong domain would have reverted above).
    const stored = (await publicClient.readContract({ address: records, abi: recordsArtifact.abi, functionName: "getBatch", args: [fixed("batch 4")] })) as { owner: Address; author: Address };
    if (stored.owner !== relayedProvider.address || stored.author !== relayedProvider.address) {
      throw new Error("relayed append was not attributed to its signer");
    }

    // --- ConsentRegistry and AuditAnchor (admin: the relayer's account; the others: further node accounts)
    const [, , , , delegate, clinician, keeper] = await viem.getWalletClients();
    if (delegate === undefined || clinician === undefined || keeper === undefined) {
      throw new Error("the default network must expose at least 7 accounts");
    }
    const consentArtifact = await artifact("ConsentRegistry");
    const auditArtifact = await artifact("AuditAnchor");
    const trustArtifact = await artifact("TrustRegistry");
    const trustAbi = trustArtifact.abi;
    // the trust registry is deployed and governed by another account, so that the relayer's addresses do not move
    const wallets = await viem.getWalletClients();
    const [trustGov, board] = [wallets[11], wallets[12]];
    if (trustGov === undefined || board === undefined) throw new Error("the default network must expose at least 13 accounts");
    const trustReceipt = await receipt(await trustGov.deployContract({ abi: trustAbi, bytecode: trustArtifact.bytecode, args: [forwarder, trustGov.account.address] }));
    if (trustReceipt.contractAddress == null) throw new Error("TrustRegistry: no contract address");
    record("TrustRegistry.deploy", trustReceipt);
    const trust = trustReceipt.contractAddress;
    const consent = await deploy("ConsentRegistry", consentArtifact, [forwarder, trust, BREAK_GLASS_CAP, BREAK_GLASS_DURATION]);
    const audit = await deploy("AuditAnchor", auditArtifact, [forwarder, relayer.account.address]);
    /** A setup transaction whose gas is not recorded. */
    const send = async (from: Wallet, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void> => {
      await receipt(await from.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }) }));
    };
    const grantArgs = (patientAddress: Address, grantee: Address) =>
      [patientAddress, grantee, GRANT_CATEGORIES, GRANT_PURPOSES, GRANT_NOT_BEFORE, GRANT_EXPIRES_AT] as const;
    const consentAbi = consentArtifact.abi;

    // the clinician role: a licence from an accredited board, claimed by the clinician
    const licence = (label: string, subject: Address) => [fixed(`licence ${label}`), CLINICIAN_TYPE, subject, GRANT_NOT_BEFORE, GRANT_EXPIRES_AT] as const;
    await call("TrustRegistry.accredit", trustGov, trust, trustAbi, "accredit", [board.account.address, CLINICIAN_TYPE]);
    await call("TrustRegistry.registerCredential", board, trust, trustAbi, "registerCredential", licence("1", clinician.account.address));
    await call("TrustRegistry.claimRole", clinician, trust, trustAbi, "claimRole", [fixed("licence 1")]);

    // direct
    await call("ConsentRegistry.setDelegate", patient, consent, consentAbi, "setDelegate", [delegate.account.address, true]);
    await call("ConsentRegistry.grant", patient, consent, consentAbi, "grant", grantArgs(patient.account.address, provider.account.address));
    await call("ConsentRegistry.grant.byDelegate", delegate, consent, consentAbi, "grant", grantArgs(patient.account.address, provider.account.address));
    await call("ConsentRegistry.breakGlass", clinician, consent, consentAbi, "breakGlass", [patient.account.address, GRANT_CATEGORIES, fixed("break-glass reason")]);
    await call("ConsentRegistry.revoke", patient, consent, consentAbi, "revoke", [1n]);
    await call("ConsentRegistry.revoke.byDelegate", delegate, consent, consentAbi, "revoke", [2n]);
    await call("ConsentRegistry.setDelegate.withdraw", patient, consent, consentAbi, "setDelegate", [delegate.account.address, false]);
    await call("TrustRegistry.revokeCredential", board, trust, trustAbi, "revokeCredential", [fixed("licence 1")]);

    // relayed (patients, delegates and clinicians never pay gas)
    const consentPatient = privateKeyToAccount(fixed("relayed consent patient"));
    const consentDelegate = privateKeyToAccount(fixed("relayed consent delegate"));
    const consentClinician = privateKeyToAccount(fixed("relayed consent clinician"));
    await relay("ConsentRegistry.grant.viaForwarder", consentPatient, consent, consentAbi, "grant", grantArgs(consentPatient.address, relayedProvider.address));
    await relay("ConsentRegistry.setDelegate.viaForwarder", consentPatient, consent, consentAbi, "setDelegate", [consentDelegate.address, true]);
    await relay("ConsentRegistry.revoke.viaForwarder", consentDelegate, consent, consentAbi, "revoke", [4n]);
    await call("TrustRegistry.registerCredential.second", board, trust, trustAbi, "registerCredential", licence("2", consentClinician.address));
    await relay("TrustRegistry.claimRole.viaForwarder", consentClinician, trust, trustAbi, "claimRole", [fixed("licence 2")]);
    await relay("ConsentRegistry.breakGlass.viaForwarder", consentClinician, consent, consentAbi, "breakGlass", [consentPatient.address, GRANT_CATEGORIES, fixed("relayed break-glass reason")]);

    // Sanity: the relayed grant and revocation were attributed to their signers.
    const grant4 = (await publicClient.readContract({ address: consent, abi: consentAbi, functionName: "getGrant", args: [4n] })) as { patient: Address; revoked: boolean };
    if (grant4.patient !== consentPatient.address || !grant4.revoked) throw new Error("relayed consent calls were not attributed to their signers");

    // --- AuditAnchor
    const keeperSigner = privateKeyToAccount(fixed("relayed audit keeper"));
    await call("AuditAnchor.grantRole", relayer, audit, auditArtifact.abi, "grantRole", [KEEPER_ROLE, keeper.account.address]);
    await send(relayer, audit, auditArtifact.abi, "grantRole", [KEEPER_ROLE, keeperSigner.address]);
    await call("AuditAnchor.anchor", keeper, audit, auditArtifact.abi, "anchor", [fixed("audit root 1"), COUNT, fixed("audit batch 1")]);
    await relay("AuditAnchor.anchor.viaForwarder", keeperSigner, audit, auditArtifact.abi, "anchor", [fixed("audit root 2"), COUNT, fixed("audit batch 2")]);

    // --- RecordRegistry.rotateBatch, last: the relayed rotation is a relayer transaction, and one more
    //     relayer transaction before a deployment would move that contract's address, hence the zero bytes
    //     of the calldata that names it, hence earlier figures (ConsentRegistry.breakGlass.viaForwarder by 12)
    await call("RecordRegistry.rotateBatch", patient, records, recordsArtifact.abi, "rotateBatch", [fixed("batch 2"), fixed("manifest 2 rotated"), fixed("root 2 rotated")]);
    await relay("RecordRegistry.rotateBatch.viaForwarder", relayedProvider, records, recordsArtifact.abi, "rotateBatch", [fixed("batch 4"), fixed("manifest 4 rotated"), fixed("root 4 rotated")]);
    const rotated = (await publicClient.readContract({ address: records, abi: recordsArtifact.abi, functionName: "getBatch", args: [fixed("batch 4")] })) as { version: number };
    if (rotated.version !== 2) throw new Error("relayed rotation was not applied");

    // --- Supply (issue 4): after everything else, so that its relayer transactions move no earlier address.
    //     Admin and registrar: the relayer's account; partners: further node accounts and fixed relayed keys.
    await measureSupply({ viem, publicClient, relayer, forwarder, artifact, receipt, call, deploy, relay, send });

    // --- Identity and governance (issue 5): after supply, so that no earlier address moves.
    const increaseTime = async (seconds: number): Promise<void> => {
      await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
      await connection.provider.request({ method: "evm_mine", params: [] });
    };
    await measureGovernance({ viem, publicClient, relayer, forwarder, artifact, receipt, call, deploy, relay, send }, { record, increaseTime, trust, trustGov, board });
    return gas;
  } finally {
    await connection.close();
  }
}

/** What {@link measureSupply} needs from the main scenario (its chain, accounts and recording helpers). */
interface SupplyContext {
  viem: Awaited<ReturnType<typeof hre.network.connect>>["viem"];
  publicClient: { readContract(args: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] }): Promise<unknown> };
  relayer: Awaited<ReturnType<Awaited<ReturnType<typeof hre.network.connect>>["viem"]["getWalletClients"]>>[number];
  forwarder: Address;
  artifact(name: string): Promise<{ abi: Abi; bytecode: Hex }>;
  receipt(hash: Hex): Promise<TransactionReceipt>;
  call(name: string, from: SupplyContext["relayer"], to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void>;
  deploy(name: string, art: { abi: Abi; bytecode: Hex }, args: readonly unknown[]): Promise<Address>;
  relay(name: string, signer: PrivateKeyAccount, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void>;
  send(from: SupplyContext["relayer"], to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void>;
}

/** Embedded governance defaults (src/node/deployment.ts): 1 s voting delay, 5 min vote, 10 min timelock, 50 % quorum. */
const GOV = { votingDelay: 1, votingPeriod: 300, timelockDelay: 600, quorum: 50 } as const;
const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));
const CANCELLER_ROLE = keccak256(toHex("CANCELLER_ROLE"));
const DEFAULT_ADMIN_ROLE = `0x${"0".repeat(64)}` as const;

/** The governance scenario: the consortium as the node wires it, one proposal from proposal to execution. */
async function measureGovernance(
  ctx: SupplyContext,
  extra: {
    record(name: string, r: TransactionReceipt): void;
    increaseTime(seconds: number): Promise<void>;
    trust: Address;
    trustGov: SupplyContext["relayer"];
    board: SupplyContext["relayer"];
  },
): Promise<void> {
  const { viem, relayer, forwarder, call, relay, send } = ctx;
  const wallets = await viem.getWalletClients();
  const [m1, m2, issuer] = [wallets[13], wallets[14], wallets[15]];
  if (m1 === undefined || m2 === undefined || issuer === undefined) throw new Error("the default network must expose at least 16 accounts");
  const relayedMember = privateKeyToAccount(fixed("relayed governance member"));
  const relayedVoter = privateKeyToAccount(fixed("relayed governance voter"));
  const deployAs = async (name: string, art: { abi: Abi; bytecode: Hex }, args: readonly unknown[]): Promise<Address> => {
    const r = await ctx.receipt(await relayer.deployContract({ abi: art.abi, bytecode: art.bytecode, args }));
    if (r.contractAddress == null) throw new Error(`${name}: no contract address`);
    extra.record(`${name}.deploy.governance`, r);
    return r.contractAddress;
  };
  const timelockArt = await ctx.artifact("MedchainTimelock");
  const membershipArt = await ctx.artifact("MedchainMembership");
  const governorArt = await ctx.artifact("MedchainGovernor");
  const trustArt = await ctx.artifact("TrustRegistry");
  const timelock = await deployAs("MedchainTimelock", timelockArt, [BigInt(GOV.timelockDelay), [], ["0x0000000000000000000000000000000000000000"], relayer.account.address]);
  const membership = await deployAs("MedchainMembership", membershipArt, [timelock, relayer.account.address]);
  const governor = await deployAs("MedchainGovernor", governorArt, [membership, timelock, forwarder, GOV.votingDelay, GOV.votingPeriod, BigInt(GOV.quorum)]);
  const trust = await deployAs("TrustRegistry", trustArt, [forwarder, timelock]);
  await send(relayer, timelock, timelockArt.abi, "grantRole", [PROPOSER_ROLE, governor]);
  await send(relayer, timelock, timelockArt.abi, "grantRole", [CANCELLER_ROLE, governor]);
  await send(relayer, timelock, timelockArt.abi, "renounceRole", [DEFAULT_ADMIN_ROLE, relayer.account.address]);
  await call("MedchainMembership.genesis.4members", relayer, membership, membershipArt.abi, "genesis", [[m1.account.address, m2.account.address, relayedMember.address, relayedVoter.address]]);
  await extra.increaseTime(1); // votes are checkpointed at genesis

  const gAbi = governorArt.abi;
  const proposal = (issuerAddress: Address, description: string) =>
    [[trust], [0n], [encodeFunctionData({ abi: trustArt.abi, functionName: "accredit", args: [issuerAddress, CLINICIAN_TYPE] })], description] as const;
  const first = proposal(issuer.account.address, "Accredit the issuer of clinician licences");
  await call("MedchainGovernor.propose", m1, governor, gAbi, "propose", first);
  await relay("MedchainGovernor.propose.viaForwarder", relayedMember, governor, gAbi, "propose", proposal(m2.account.address, "Accredit a second issuer"));
  await extra.increaseTime(GOV.votingDelay + 1);
  await call("MedchainGovernor.castVote", m1, governor, gAbi, "castVote", [1n, 1]);
  await relay("MedchainGovernor.castVote.viaForwarder", relayedVoter, governor, gAbi, "castVote", [1n, 1]);
  await extra.increaseTime(GOV.votingPeriod);
  const [targets, values, calldatas, description] = first;
  const descriptionHash = keccak256(toHex(description));
  await call("MedchainGovernor.queue", m2, governor, gAbi, "queue", [targets, values, calldatas, descriptionHash]);
  await extra.increaseTime(GOV.timelockDelay);
  await call("MedchainGovernor.execute", m2, governor, gAbi, "execute", [targets, values, calldatas, descriptionHash]);
  const accredited = (await ctx.publicClient.readContract({ address: trust, abi: trustArt.abi, functionName: "isAccredited", args: [issuer.account.address, CLINICIAN_TYPE] })) as boolean;
  if (!accredited) throw new Error("the executed proposal did not accredit the issuer");

  // the consent scenario's registry: governance (an account there) withdraws the board
  await call("TrustRegistry.deaccredit", extra.trustGov, extra.trust, trustArt.abi, "deaccredit", [extra.board.account.address, CLINICIAN_TYPE]);
}

/** A Merkle tree over `n` fixed event hashes, as the supply SDK builds them (StandardMerkleTree, bytes32). */
function eventTree(label: string, n: number): { events: Hex[]; root: Hex; proof(i: number): Hex[] } {
  const events = Array.from({ length: n }, (_, i) => fixed(`${label} event ${i}`));
  const tree = StandardMerkleTree.of(events.map((e): [Hex] => [e]), ["bytes32"]);
  return { events, root: tree.root as Hex, proof: (i) => tree.getProof(i) as Hex[] };
}

/** The supply scenario: partners, anchors, recalls, twins, and the OpenZeppelin mint baseline. */
async function measureSupply(ctx: SupplyContext): Promise<void> {
  const { viem, relayer, forwarder, call, deploy, relay, send } = ctx;
  const wallets = await viem.getWalletClients();
  const [manufacturer, wholesaler, dispenser, spare] = [wallets[7], wallets[8], wallets[9], wallets[10]];
  if (manufacturer === undefined || wholesaler === undefined || dispenser === undefined || spare === undefined) {
    throw new Error("the default network must expose at least 11 accounts");
  }
  const partnersArtifact = await ctx.artifact("TradingPartners");
  const anchorArtifact = await ctx.artifact("SupplyAnchor");
  const twinArtifact = await ctx.artifact("DigitalTwin");
  // the supply scenario's trust registry (deployment not recorded: TrustRegistry.deploy is the consent scenario's)
  const trustArtifact = await ctx.artifact("TrustRegistry");
  const trustReceipt = await ctx.receipt(await relayer.deployContract({ abi: trustArtifact.abi, bytecode: trustArtifact.bytecode, args: [forwarder, relayer.account.address] }));
  const trust = trustReceipt.contractAddress;
  if (trust == null) throw new Error("TrustRegistry: no contract address");
  const partners = await deploy("TradingPartners", partnersArtifact, [forwarder, relayer.account.address, trust]);
  const anchor = await deploy("SupplyAnchor", anchorArtifact, [forwarder, partners]);
  const twin = await deploy("DigitalTwin", twinArtifact, [forwarder, anchor, partners]);
  const pAbi = partnersArtifact.abi;
  const aAbi = anchorArtifact.abi;
  const tAbi = twinArtifact.abi;

  // partners (direct: the relayer's account is admin and registrar)
  await call("TradingPartners.grantRole", relayer, partners, pAbi, "grantRole", [REGISTRAR_ROLE, relayer.account.address]);
  await call("TradingPartners.registerPartner.withPrefix", relayer, partners, pAbi, "registerPartner", [manufacturer.account.address, KIND.manufacturer, GLN[0], "0614141"]);
  await call("TradingPartners.registerPartner", relayer, partners, pAbi, "registerPartner", [wholesaler.account.address, KIND.wholesaler, GLN[1], ""]);
  await call("TradingPartners.addCompanyPrefix", relayer, partners, pAbi, "addCompanyPrefix", [manufacturer.account.address, "0614142"]);
  await send(relayer, partners, pAbi, "registerPartner", [dispenser.account.address, KIND.dispenser, GLN[2], ""]);
  await send(relayer, partners, pAbi, "registerPartner", [spare.account.address, KIND.wholesaler, GLN[3], ""]);
  await call("TradingPartners.setPartnerActive", relayer, partners, pAbi, "setPartnerActive", [spare.account.address, false]);
  // relayed registrar and partner (fixed keys that never hold ether)
  const registrarSigner = privateKeyToAccount(fixed("relayed supply registrar"));
  const wholesalerSigner = privateKeyToAccount(fixed("relayed supply wholesaler"));
  await send(relayer, partners, pAbi, "grantRole", [REGISTRAR_ROLE, registrarSigner.address]);
  await relay("TradingPartners.registerPartner.viaForwarder", registrarSigner, partners, pAbi, "registerPartner", [wholesalerSigner.address, KIND.wholesaler, GLN[4], ""]);
  const relayedPartner = (await ctx.publicClient.readContract({ address: partners, abi: pAbi, functionName: "isPartner", args: [wholesalerSigner.address, KIND.wholesaler] })) as boolean;
  if (!relayedPartner) throw new Error("relayed registration was not attributed to the registrar");

  // anchors: the gas of an anchor does not depend on the number of events under the root
  const commissioning = eventTree("commissioning", 8);
  const mShipping = eventTree("manufacturer shipping", 4);
  const wShipping = eventTree("wholesaler shipping", 4);
  const dispensing = eventTree("dispensing", 4);
  await call("SupplyAnchor.anchorBatch", manufacturer, anchor, aAbi, "anchorBatch", [commissioning.root, commissioning.events.length, fixed("commissioning document")]);
  await relay("SupplyAnchor.anchorBatch.viaForwarder", wholesalerSigner, anchor, aAbi, "anchorBatch", [wShipping.root, wShipping.events.length, fixed("wholesaler shipping document")]);
  await send(manufacturer, anchor, aAbi, "anchorBatch", [mShipping.root, mShipping.events.length, fixed("manufacturer shipping document")]);
  await send(dispenser, anchor, aAbi, "anchorBatch", [dispensing.root, dispensing.events.length, fixed("dispensing document")]);
  const [commissioningBatch, wShippingBatch, mShippingBatch, dispensingBatch] = [1n, 2n, 3n, 4n];

  // recalls
  await call("SupplyAnchor.recall", manufacturer, anchor, aAbi, "recall", [SUPPLY_GTIN, "0614141", SUPPLY_LOT, "out-of-specification dissolution results"]);
  await call("SupplyAnchor.clearRecall", manufacturer, anchor, aAbi, "clearRecall", [SUPPLY_GTIN, SUPPLY_LOT]);

  // twins: unit keys are keccak256 of canonical Digital Link keys
  const unit = (serial: string): Hex => keccak256(toHex(`https://id.gs1.org/01/00614141123452/21/${serial}`));
  const [unit1, unit2] = [unit("SN0001"), unit("SN0002")];
  await call("DigitalTwin.mintTwin", manufacturer, twin, tAbi, "mintTwin", [commissioningBatch, commissioning.events[1], commissioning.proof(1), unit1, manufacturer.account.address]);
  await call("DigitalTwin.mintTwin.sameHolder", manufacturer, twin, tAbi, "mintTwin", [commissioningBatch, commissioning.events[1], commissioning.proof(1), unit2, manufacturer.account.address]);
  await call("DigitalTwin.transferCustody", manufacturer, twin, tAbi, "transferCustody", [BigInt(unit1), wholesaler.account.address, mShippingBatch, mShipping.events[0], mShipping.proof(0)]);
  await send(manufacturer, twin, tAbi, "transferCustody", [BigInt(unit2), wholesalerSigner.address, mShippingBatch, mShipping.events[1], mShipping.proof(1)]);
  await relay("DigitalTwin.transferCustody.viaForwarder", wholesalerSigner, twin, tAbi, "transferCustody", [BigInt(unit2), dispenser.account.address, wShippingBatch, wShipping.events[0], wShipping.proof(0)]);
  await call("DigitalTwin.decommission", dispenser, twin, tAbi, "decommission", [BigInt(unit2), dispensingBatch, dispensing.events[2], dispensing.proof(2)]);
  const dispensed = (await ctx.publicClient.readContract({ address: twin, abi: tAbi, functionName: "isDecommissioned", args: [BigInt(unit2)] })) as boolean;
  if (!dispensed) throw new Error("the relayed custody transfer or the decommissioning was not applied");

  // partners by credential: an accredited GS1 issuer binds the claims; the wholesalers join and anchor
  const [gs1, joiner] = [wallets[16], wallets[17]];
  if (gs1 === undefined || joiner === undefined) throw new Error("the default network must expose at least 18 accounts");
  const relayedJoiner = privateKeyToAccount(fixed("relayed credential wholesaler"));
  const tAbiTrust = trustArtifact.abi;
  await send(relayer, trust, tAbiTrust, "accredit", [gs1.account.address, TRADING_PARTNER_TYPE]);
  const digest = (gln: bigint): Hex => keccak256(encodeAbiParameters(parseAbiParameters("uint8, uint64, string"), [KIND.wholesaler, gln, "0614199"]));
  const [cred1, cred2] = [fixed("trading partner credential 1"), fixed("trading partner credential 2")];
  const until = 4_000_000_000n;
  await call("TrustRegistry.registerCredentialWithClaims", gs1, trust, tAbiTrust, "registerCredentialWithClaims", [cred1, TRADING_PARTNER_TYPE, joiner.account.address, 0n, until, digest(GLN[5])]);
  await send(gs1, trust, tAbiTrust, "registerCredentialWithClaims", [cred2, TRADING_PARTNER_TYPE, relayedJoiner.address, 0n, until, digest(GLN[6])]);
  await call("TradingPartners.registerWithCredential", joiner, partners, pAbi, "registerWithCredential", [cred1, KIND.wholesaler, GLN[5], "0614199"]);
  await relay("TradingPartners.registerWithCredential.viaForwarder", relayedJoiner, partners, pAbi, "registerWithCredential", [cred2, KIND.wholesaler, GLN[6], "0614199"]);
  const joined = (await ctx.publicClient.readContract({ address: partners, abi: pAbi, functionName: "isActivePartner", args: [relayedJoiner.address] })) as boolean;
  if (!joined) throw new Error("the relayed registration by credential was not attributed to the wholesaler");
  const cShipping = eventTree("credential partner shipping", 4);
  await call("SupplyAnchor.anchorBatch.credentialPartner", joiner, anchor, aAbi, "anchorBatch", [cShipping.root, cShipping.events.length, fixed("credential partner document")]);
  // the issuer revokes the joiner's credential and issues a new one; the joiner renews (its credential slot non-zero -> non-zero)
  const cred3 = fixed("trading partner credential 3");
  await send(gs1, trust, tAbiTrust, "revokeCredential", [cred1]);
  await send(gs1, trust, tAbiTrust, "registerCredentialWithClaims", [cred3, TRADING_PARTNER_TYPE, joiner.account.address, 0n, until, digest(GLN[5])]);
  await call("TradingPartners.renewCredential", joiner, partners, pAbi, "renewCredential", [cred3, KIND.wholesaler, GLN[5], "0614199"]);
  const renewed = (await ctx.publicClient.readContract({ address: partners, abi: pAbi, functionName: "isActivePartner", args: [joiner.account.address] })) as boolean;
  if (!renewed) throw new Error("the renewal did not restore the wholesaler's right");

  // baseline: OpenZeppelin ERC721 _safeMint per unit (deployment not recorded)
  await hre.tasks.getTask("build").run({ quiet: true, files: ["test/contracts/supply/OzMintBaseline.sol"] });
  const baselineArtifact = await ctx.artifact("OzMintBaseline");
  const baselineReceipt = await ctx.receipt(await relayer.deployContract({ abi: baselineArtifact.abi, bytecode: baselineArtifact.bytecode, args: [] }));
  const baseline = baselineReceipt.contractAddress;
  if (baseline == null) throw new Error("OzMintBaseline: no contract address");
  await call("Baseline.ozMint", manufacturer, baseline, baselineArtifact.abi, "mint", [manufacturer.account.address, BigInt(unit1)]);
  await call("Baseline.ozMint.sameHolder", manufacturer, baseline, baselineArtifact.abi, "mint", [manufacturer.account.address, BigInt(unit2)]);
}

function sorted(snapshot: Snapshot): Snapshot {
  return Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function serialize(snapshot: Snapshot): string {
  return `${JSON.stringify(sorted(snapshot), null, 2)}\n`;
}

async function readSnapshot(): Promise<Snapshot | undefined> {
  try {
    return JSON.parse(await readFile(SNAPSHOT_PATH, "utf8")) as Snapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Human-readable lines for every changed, added and removed entry (empty when identical). */
function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const old = before[name];
    const now = after[name];
    if (old === undefined && now !== undefined) lines.push(`  + ${name}: ${now} (added)`);
    else if (old !== undefined && now === undefined) lines.push(`  - ${name}: ${old} (removed)`);
    else if (old !== undefined && now !== undefined && old !== now) {
      const delta = now - old;
      const pct = ((delta / old) * 100).toFixed(2);
      lines.push(`  ~ ${name}: ${old} -> ${now} (${delta > 0 ? "+" : ""}${delta}, ${delta > 0 ? "+" : ""}${pct}%)`);
    }
  }
  return lines;
}

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const check = args.has("--check");
  const update = args.has("--update");
  for (const arg of args) {
    if (arg !== "--check" && arg !== "--update") {
      console.error(`unknown argument ${arg}; usage: gas-snapshot.ts [--check|--update]`);
      return 2;
    }
  }
  if (check && update) {
    console.error("--check and --update are exclusive");
    return 2;
  }

  const measured = sorted(await measure());
  const width = Math.max(...Object.keys(measured).map((n) => n.length));
  for (const [name, gas] of Object.entries(measured)) console.log(`${name.padEnd(width)} ${gas}`);

  const committed = await readSnapshot();
  const relative = path.relative(process.cwd(), SNAPSHOT_PATH);
  if (update || (committed === undefined && !check)) {
    await mkdir(path.dirname(SNAPSHOT_PATH), { recursive: true });
    await writeFile(SNAPSHOT_PATH, serialize(measured));
    console.log(`\nwrote ${relative} (${Object.keys(measured).length} entries)`);
    return 0;
  }
  if (committed === undefined) {
    console.error(`\n${relative} does not exist; run with --update first`);
    return 1;
  }
  const diff = diffSnapshots(committed, measured);
  if (diff.length === 0) {
    console.log(`\ngas snapshot matches ${relative} (${Object.keys(measured).length} entries)`);
    return 0;
  }
  const report = `\ngas snapshot differs from ${relative} (${diff.length} entr${diff.length === 1 ? "y" : "ies"}):\n${diff.join("\n")}`;
  if (check) {
    console.error(`${report}\nrun \`node --import tsx scripts/gas-snapshot.ts --update\` if the change is intended`);
    return 1;
  }
  console.log(report);
  return 0;
}

process.exitCode = await main();

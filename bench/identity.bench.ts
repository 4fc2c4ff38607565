/**
 * Identity benchmarks (issue 5), baselines measured in the same run:
 * - credential verifications per second at the node: signature (ES256K),
 *   data model, validity, revocation status and accreditation at issuance read
 *   from the trust registry, and the registry entry; next to the same SDK
 *   verification with the trust answers from memory (signature and data model
 *   only: what the chain checks add);
 * - gas of a role grant by credential (the issuer's registerCredential plus
 *   the holder's claimRole), as direct transactions and as relayed ones (what
 *   the relayer pays), next to an OpenZeppelin AccessControl `grantRole`
 *   (AuditAnchor's keeper role granted by its admin) on the same chain.
 */
import { encodeFunctionData, keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { auditAnchorAbi, trustRegistryAbi } from "../src/chain/generated/contracts.ts";
import { createTxSender } from "../src/node/chain/txSender.ts";
import { verifyCredentialJwt } from "../src/identity/credentials.service.ts";
import { issueAndRegister } from "../src/identity/sdk/credentialClient.ts";
import {
  CREDENTIAL_TYPES,
  credentialTypeId,
  issueCredential,
  StaticTrust,
  verifyCredential,
} from "../src/identity/sdk/index.ts";
import { relayCall } from "../src/kernel/relay/relayCall.ts";
import { newKeys, startTestNode } from "../test/support/testNode.ts";
import { accredit } from "../test/support/identity.ts";
import type { BenchResult } from "./result.ts";

const CLAIMS = { licenceNumber: "GMC-7012345", jurisdiction: "GB", specialty: "Emergency medicine" };
const KEEPER_ROLE = keccak256(toBytes("KEEPER_ROLE"));

async function perSecond(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return Math.round((n / ((performance.now() - t0) / 1000)) * 10) / 10;
}

/** Runs the identity benchmarks against a real embedded node. */
export async function benchIdentity(): Promise<BenchResult[]> {
  const t = await startTestNode();
  try {
    const { ctx } = t.node;
    const client = ctx.client;
    const gasOf = async (hash: `0x${string}`): Promise<number> =>
      Number((await client.getTransactionReceipt({ hash })).gasUsed);
    const board = await newKeys();
    const clinician = await newKeys();
    // a second funded key of the embedded chain acts as an issuer (and subject) with direct transactions
    const directKey = ctx.chain.operatorKeys[1];
    if (directKey === undefined) throw new Error("the embedded chain has a single funded key");
    const direct = createTxSender(ctx.chain, client, { keyIndex: 1 });
    await accredit(t, board.account.address, CREDENTIAL_TYPES.ClinicianLicence);
    await accredit(t, direct.address, CREDENTIAL_TYPES.ClinicianLicence);

    // verification throughput
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const until = new Date(now.getTime() + 365 * 86400_000);
    const licence = await issueAndRegister(t.client, board.account, {
      type: CREDENTIAL_TYPES.ClinicianLicence,
      subject: clinician.account.address,
      claims: CLAIMS,
      validFrom: now,
      validUntil: until,
    });
    const N = 200;
    const full = await perSecond(N, () => verifyCredentialJwt(ctx, licence.jwt));
    const memory = new StaticTrust().accredit(
      board.account.address,
      credentialTypeId(CREDENTIAL_TYPES.ClinicianLicence),
    );
    const sdkOnly = await perSecond(N, () =>
      verifyCredential(licence.jwt, { chainId: ctx.deployment.chainId, trust: memory }),
    );

    // gas: relayed role grant by credential (issuer registers, holder claims)
    const relayed = await issueAndRegister(t.client, board.account, {
      type: CREDENTIAL_TYPES.ClinicianLicence,
      subject: clinician.account.address,
      claims: CLAIMS,
      validFrom: now,
      validUntil: until,
    });
    const claimData = encodeFunctionData({
      abi: trustRegistryAbi,
      functionName: "claimRole",
      args: [relayed.credentialId],
    });
    const relayedClaim = await relayCall(t.client, clinician.account, ctx.deployment.trustRegistry, claimData);
    const relayedGas = (await gasOf(relayed.tx.txHash)) + (await gasOf(relayedClaim.txHash));

    // gas: the same as direct transactions (the issuer registers a credential about itself and claims it)
    const typeId = credentialTypeId(CREDENTIAL_TYPES.ClinicianLicence);
    const own = await issueCredential({
      issuer: privateKeyToAccount(directKey),
      chainId: ctx.deployment.chainId,
      type: CREDENTIAL_TYPES.ClinicianLicence,
      subject: direct.address,
      claims: CLAIMS,
      validFrom: now,
      validUntil: until,
    });
    const seconds = (d: Date): bigint => BigInt(d.getTime() / 1000);
    const reg = await direct.writeContract({
      address: ctx.deployment.trustRegistry,
      abi: trustRegistryAbi,
      functionName: "registerCredential",
      args: [own.credentialId, typeId, direct.address, seconds(now), seconds(until)],
    });
    const claim = await direct.writeContract({
      address: ctx.deployment.trustRegistry,
      abi: trustRegistryAbi,
      functionName: "claimRole",
      args: [own.credentialId],
    });
    const directGas = Number(reg.gasUsed) + Number(claim.gasUsed);

    // baseline: OpenZeppelin AccessControl grantRole by the admin (the node's operator), same chain
    const grant = await ctx.sender.writeContract({
      address: ctx.deployment.auditAnchor,
      abi: auditAnchorAbi,
      functionName: "grantRole",
      args: [KEEPER_ROLE, (await newKeys()).account.address],
    });
    const grantGas = Number(grant.gasUsed);

    const baseline = { name: "OpenZeppelin AccessControl grantRole (direct)", value: grantGas };
    return [
      {
        name: "identity.verify.perSecond",
        value: full,
        unit: "verifications/s",
        baseline: { name: "SDK verify, trust answers in memory (signature + data model only)", value: sdkOnly },
        ratio: Math.round((full / sdkOnly) * 1000) / 1000,
      },
      {
        name: "identity.roleGrant.gas",
        value: directGas,
        unit: "gas",
        baseline,
        ratio: Math.round((directGas / grantGas) * 1000) / 1000,
      },
      {
        name: "identity.roleGrant.relayed.gas",
        value: relayedGas,
        unit: "gas",
        baseline,
        ratio: Math.round((relayedGas / grantGas) * 1000) / 1000,
      },
    ];
  } finally {
    await t.close();
  }
}

/** `medchain credential issue|present|verify|revoke`: verifiable credentials that earn roles in the trust registry. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { issueAndRegister, presentToNode, revokeCredential } from "./sdk/credentialClient.ts";
import { TRUST_TYPE_ALIASES, trustTypeName } from "./sdk/trustTypes.ts";

interface IssueOptions {
  type: string;
  subject: string;
  as: string;
  days: string;
  out?: string;
  licence?: string;
  jurisdiction?: string;
  specialty?: string;
  gln?: string;
  companyPrefix?: string;
  role?: string;
  approval?: string;
  committee?: string;
  studyTitle?: string;
  protocolId?: string;
}

/** The claims of the credential type from the command's options (the SDK validates them; missing ones are named). */
function claimsOf(type: string, o: IssueOptions): Record<string, unknown> {
  const need = (flag: string, v: string | undefined): string => {
    if (v === undefined || v === "") throw new MedchainError("InvalidInput", `a ${type} credential needs ${flag}`);
    return v;
  };
  switch (type) {
    case TRUST_TYPE_ALIASES.clinician:
      return {
        licenceNumber: need("--licence", o.licence),
        jurisdiction: need("--jurisdiction", o.jurisdiction),
        specialty: need("--specialty", o.specialty),
      };
    case TRUST_TYPE_ALIASES["trading-partner"]:
      return {
        gln: need("--gln", o.gln),
        companyPrefix: need("--company-prefix", o.companyPrefix),
        role: need("--role", o.role),
      };
    default:
      return {
        approvalNumber: need("--approval", o.approval),
        committee: need("--committee", o.committee),
        ...(o.studyTitle === undefined ? {} : { studyTitle: o.studyTitle }),
        ...(o.protocolId === undefined ? {} : { protocolId: o.protocolId }),
      };
  }
}

function readCredentialFile(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (cause) {
    throw new MedchainError("InvalidInput", `cannot read the credential file ${file}`, { cause });
  }
}

/** Registers `credential`. */
export function credentialCommands(program: Command): void {
  const credential = program
    .command("credential")
    .description("verifiable credentials (VC-JWT): issue, present for a role, verify, revoke");
  credential
    .command("issue")
    .requiredOption("--type <type>", `${Object.keys(TRUST_TYPE_ALIASES).join(" | ")}`)
    .requiredOption("--subject <name|address>", "who the credential is about (its holder)")
    .requiredOption("--as <issuer>", "the issuer's key (accredited for the type by the consortium)")
    .option("--days <n>", "validity from now, in days", "365")
    .option("--out <file>", "write the credential (JWT) there")
    .option("--licence <number>", "clinician: licence number")
    .option("--jurisdiction <code>", "clinician: ISO 3166 country or subdivision (GB, US-CA)")
    .option("--specialty <text>", "clinician: specialty")
    .option("--gln <gln>", "trading partner: 13-digit GLN")
    .option("--company-prefix <digits>", "trading partner: GS1 company prefix")
    .option("--role <role>", "trading partner: manufacturer | repackager | wholesaler | dispenser | regulator")
    .option("--approval <number>", "ethics: approval number")
    .option("--committee <name>", "ethics: the approving committee")
    .option("--study-title <text>", "ethics: the study's title")
    .option("--protocol-id <id>", "ethics: the study's protocol id")
    .description(
      "issue a credential and register it in the trust registry " +
        "(gasless); only its id, parties and validity go on chain",
    )
    .action(
      run<IssueOptions>(async ({ g, opts }) => {
        const type = trustTypeName(opts.type);
        const days = Number(opts.days);
        if (!Number.isFinite(days) || days <= 0 || days > 3650)
          throw new MedchainError("InvalidInput", "--days takes a number of days between 0 and 3650");
        const subject = resolveAccount(opts.subject, "subject");
        const claims = claimsOf(type, opts);
        const issuer = await unlock(opts.as);
        const validFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
        const validUntil = new Date(validFrom.getTime() + Math.round(days * 86400) * 1000);
        const r = await issueAndRegister(nodeClient(g), issuer.account, {
          type,
          subject,
          claims,
          validFrom,
          validUntil,
        });
        if (opts.out !== undefined) writeFileSync(opts.out, `${r.jwt}\n`, { mode: 0o600 });
        const out = {
          id: r.id,
          credentialId: r.credentialId,
          type,
          issuer: issuer.account.address.toLowerCase(),
          subject,
          validFrom: validFrom.toISOString(),
          validUntil: validUntil.toISOString(),
          txHash: r.tx.txHash,
          ...(opts.out === undefined ? { jwt: r.jwt } : { file: opts.out }),
        };
        emit(
          g,
          out,
          () =>
            `${type} ${r.credentialId} issued to ${subject}, registered on chain, valid until ` +
            `${validUntil.toISOString()}\n${opts.out === undefined ? r.jwt : `written to ${opts.out}`}`,
        );
      }),
    );

  credential
    .command("present")
    .argument("<file>", "the credential (JWT) to present")
    .requiredOption("--as <holder>", "the holder's key (the credential's subject)")
    .description("prove possession over the node's one-time challenge and claim the credential's role (gasless)")
    .action(
      run<{ as: string }>(async ({ g, args: [file = ""], opts }) => {
        const jwt = readCredentialFile(file);
        const holder = await unlock(opts.as);
        const r = await presentToNode(nodeClient(g), holder.account, [jwt]);
        emit(g, r, () =>
          r.roles.map((x) => `${r.holder} now holds the ${x.type} role (credential ${x.credentialId})`).join("\n"),
        );
      }),
    );

  credential
    .command("verify")
    .argument("<file>", "the credential (JWT) to verify")
    .description(
      "verify a credential: signature, data model, validity, " +
        "revocation, issuer accredited at issuance, trust-registry entry",
    )
    .action(
      run(async ({ g, args: [file = ""] }) => {
        const r = await nodeClient(g).verifyCredential(readCredentialFile(file));
        emit(
          g,
          r,
          () =>
            `valid ${r.type} ${r.credentialId}\n  issuer ${r.issuer}\n  subject ${r.subject}\n ` +
            ` valid ${r.validFrom} .. ${r.validUntil}\n  trust registry: ${r.registry}`,
        );
      }),
    );

  credential
    .command("revoke")
    .argument("<id>", "the credential's on-chain id (0x...) or VC id (urn:uuid:...)")
    .requiredOption("--as <issuer>", "the issuer's key")
    .description("revoke a credential: every role claimed with it ends at once")
    .action(
      run<{ as: string }>(async ({ g, args: [id = ""], opts }) => {
        const issuer = await unlock(opts.as);
        const r = await revokeCredential(nodeClient(g), issuer.account, id);
        emit(
          g,
          { credentialId: r.credentialId, revoked: true, txHash: r.tx.txHash },
          () => `credential ${r.credentialId} revoked`,
        );
      }),
    );
}

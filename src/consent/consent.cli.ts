/**
 * `medchain grant | revoke | grants list | breakglass | delegate`: consent from the terminal, all gasless and signed.
 */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { CATEGORY, categoriesOfMask } from "../kernel/categories.ts";
import { purposesOfMask } from "../kernel/purposes.ts";
import { parseCategories, parsePurposes } from "../cli/parse.ts";
import { breakGlass, grantAccess, revokeGrant, setDelegate } from "./sdk/grants.ts";

/** Registers the consent commands. */
export function consentCommands(program: Command): void {
  program
    .command("grant")
    .argument("<grantee>", "who gets access (key name or address)")
    .requiredOption("--as <name>", "the patient, or her guardian/caregiver")
    .option("--patient <name|address>", "the patient (when acting as her delegate)")
    .requiredOption("--categories <list>", `what: ${Object.keys(CATEGORY).join(", ")}`)
    .option("--purpose <list>", "why (HL7 PurposeOfUse): TREAT, ETREAT, HRESCH, PATRQT, ...", "TREAT")
    .option("--days <n>", "for how many days", "30")
    .description("grant read access to part of a patient's record, for a purpose and a period (gasless)")
    .action(
      run<{ as: string; patient?: string; categories: string; purpose: string; days: string }>(
        async ({ g, args: [grantee = ""], opts }) => {
          const days = Number(opts.days);
          if (!Number.isFinite(days) || days <= 0 || days > 3650)
            throw new MedchainError("InvalidInput", "--days takes a number of days between 0 and 3650");
          const signer = await unlock(opts.as);
          const patient = opts.patient === undefined ? signer.account.address : resolveAccount(opts.patient);
          const to = resolveAccount(grantee, "grantee");
          const categories = parseCategories(opts.categories);
          const purposes = parsePurposes(opts.purpose);
          const expiresAt = Math.floor(Date.now() / 1000 + days * 86400);
          const r = await grantAccess(nodeClient(g), signer.account, {
            patient,
            grantee: to,
            categories,
            purposes,
            expiresAt,
          });
          emit(
            g,
            {
              grantId: r.grantId,
              patient: patient.toLowerCase(),
              grantee: to,
              categories,
              purposes,
              expiresAt,
              txHash: r.tx.txHash,
            },
            () =>
              `grant ${r.grantId}: ${to} may read ${categories.join(", ")} for ` +
              `${purposes.join(", ")} until ${new Date(expiresAt * 1000).toISOString()}`,
          );
        },
      ),
    );

  program
    .command("revoke")
    .argument("<grantId>", "the grant to revoke")
    .requiredOption("--as <name>", "the patient, or her guardian/caregiver")
    .description("revoke a grant: the very next key request under it is refused by every keeper")
    .action(
      run<{ as: string }>(async ({ g, args: [id = ""], opts }) => {
        if (!/^[0-9]+$/.test(id)) throw new MedchainError("InvalidInput", "a grant id is a number");
        const tx = await revokeGrant(nodeClient(g), (await unlock(opts.as)).account, id);
        emit(g, { grantId: id, revoked: true, txHash: tx.txHash }, () => `grant ${id} revoked`);
      }),
    );

  const grants = program.command("grants").description("list grants");
  grants
    .command("list")
    .option("--patient <name|address>", "grants of this patient")
    .option("--grantee <name|address>", "grants to this account")
    .option("--as <name>", "accepted for symmetry; listing needs no key")
    .description("list grants (active and past), from the node's index of the chain")
    .action(
      run<{ patient?: string; grantee?: string }>(async ({ g, opts }) => {
        if (opts.patient === undefined && opts.grantee === undefined)
          throw new MedchainError("InvalidInput", "give --patient, --grantee or both");
        const q = {
          ...(opts.patient === undefined ? {} : { patient: resolveAccount(opts.patient) }),
          ...(opts.grantee === undefined ? {} : { grantee: resolveAccount(opts.grantee, "grantee") }),
        };
        const list = await nodeClient(g).grants(q);
        const rows = list.map((x) => ({
          ...x,
          categoryNames: categoriesOfMask(x.categories),
          purposeCodes: purposesOfMask(x.purposes),
        }));
        emit(g, { grants: rows }, () =>
          rows.length === 0
            ? "no grants"
            : rows
                .map(
                  (x) =>
                    `${x.grantId.padStart(4)}  ` +
                    `${x.active ? "active " : x.revoked ? "revoked" : "inactive"}${x.breakGlass ? " BREAK-GLASS" : ""}  ` +
                    `${x.grantee}  [${x.categoryNames.join(", ")}] ${x.purposeCodes.join(",")} ` +
                    `until ${new Date(x.expiresAt * 1000).toISOString()}`,
                )
                .join("\n"),
        );
      }),
    );

  program
    .command("breakglass")
    .argument("<patient>", "the patient (name or address)")
    .requiredOption("--as <name>", "the clinician (must hold the clinician role)")
    .requiredOption("--reason <text>", "the emergency, in words (kept off chain; its hash is logged)")
    .option(
      "--categories <list>",
      "what is needed (within the network's cap)",
      "demographics,clinical,medications,allergies",
    )
    .description("open emergency access: narrow, short, logged as an emergency, shown to the patient")
    .action(
      run<{ as: string; reason: string; categories: string }>(async ({ g, args: [p = ""], opts }) => {
        const patient = resolveAccount(p);
        const r = await breakGlass(
          nodeClient(g),
          (await unlock(opts.as)).account,
          patient,
          parseCategories(opts.categories),
          opts.reason,
        );
        emit(
          g,
          { grantId: r.grantId, patient, expiresAt: r.expiresAt, txHash: r.tx.txHash },
          () =>
            `BREAK-GLASS grant ${r.grantId} open until ${new Date(r.expiresAt * 1000).toISOString()}; ` +
            `the patient will see it in her access log`,
        );
      }),
    );

  const delegate = program.command("delegate").description("guardians and caregivers who manage a patient's grants");
  for (const [name, allowed] of [
    ["add", true],
    ["remove", false],
  ] as const) {
    delegate
      .command(name)
      .argument("<delegate>", "key name or address")
      .requiredOption("--as <name>", "the patient")
      .description(allowed ? "let a guardian/caregiver grant and revoke for you" : "withdraw a guardian/caregiver")
      .action(
        run<{ as: string }>(async ({ g, args: [d = ""], opts }) => {
          const who = resolveAccount(d, "delegate");
          const tx = await setDelegate(nodeClient(g), (await unlock(opts.as)).account, who, allowed);
          emit(
            g,
            { delegate: who, allowed, txHash: tx.txHash },
            () => `${who} ${allowed ? "may now manage" : "no longer manages"} your grants`,
          );
        }),
      );
  }
}

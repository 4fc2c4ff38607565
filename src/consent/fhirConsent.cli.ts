/** `medchain consent import|export`: FHIR R4 Consent resources to on-chain grants and back. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { consentToGrants, type ActorReference } from "./sdk/fhirConsent.ts";
import { consentBundleOf, resolveDidActor } from "./sdk/consentBundle.ts";
import { grantAccess } from "./sdk/grants.ts";

/**
 * Resolves Consent actors: `--actor REF=NAME|ADDRESS` pairs, then did:pkh identifiers (what `consent export` writes).
 */
function actorResolver(pairs: readonly string[]): (ref: ActorReference) => `0x${string}` | undefined {
  const map = new Map<string, `0x${string}`>();
  for (const p of pairs) {
    const i = p.lastIndexOf("=");
    if (i <= 0)
      throw new MedchainError("InvalidInput", "--actor takes REFERENCE=NAME|ADDRESS, e.g. Organization/f001=clinic");
    map.set(p.slice(0, i), resolveAccount(p.slice(i + 1), "actor"));
  }
  return (ref) =>
    ref.reference !== undefined && map.has(ref.reference) ? map.get(ref.reference) : resolveDidActor(ref);
}

/** Registers `consent import|export`. */
export function fhirConsentCommands(program: Command): void {
  const consent = program.command("consent").description("FHIR R4 Consent resources <-> on-chain grants");

  consent
    .command("import")
    .argument("<file>", "an R4 Consent resource (JSON)")
    .requiredOption("--as <name>", "the patient (or her delegate) who signs the grants")
    .option("--patient <name|address>", "the patient, when acting as her delegate")
    .option(
      "--actor <ref=name...>",
      "map a Consent actor reference to a medchain account, e.g. Organization/f001=clinic",
      [],
    )
    .option("--days <n>", "length of grants whose provision has no end", "30")
    .option("--dry-run", "show the mapping without writing grants")
    .description(
      "turn a Consent into grants (each provision mapped, or the whole Consent refused with the provision named)",
    )
    .action(
      run<{ as: string; patient?: string; actor: string[]; days: string; dryRun?: boolean }>(
        async ({ g, args: [file = ""], opts }) => {
          let consentJson: unknown;
          try {
            consentJson = JSON.parse(readFileSync(file, "utf8"));
          } catch (cause) {
            throw new MedchainError("InvalidInput", `cannot read ${file} as JSON`, { cause });
          }
          const signer = await unlock(opts.as);
          const patient =
            opts.patient === undefined
              ? (signer.account.address.toLowerCase() as `0x${string}`)
              : resolveAccount(opts.patient);
          const mapped = consentToGrants(consentJson, {
            patient,
            resolveActor: actorResolver(opts.actor),
            now: Math.floor(Date.now() / 1000),
            defaultDurationSeconds: Number(opts.days) * 86400,
            defaultPurposes: ["TREAT"],
          });
          const written: string[] = [];
          if (opts.dryRun !== true) {
            const node = nodeClient(g);
            for (const spec of mapped.grants)
              written.push((await grantAccess(node, signer.account, { ...spec, patient })).grantId);
          }
          emit(g, { grants: mapped.grants, grantIds: written, mapping: mapped.mapping }, () =>
            [
              `${mapped.grants.length} ` +
                `grant(s)${opts.dryRun === true ? " (dry run)" : written.length > 0 ? `: ${written.join(", ")}` : ""}`,
              ...mapped.mapping.map(
                (m) =>
                  `  ${m.provision}: ` +
                  `${m.effect}${m.grants.length > 0 ? ` -> grant #${m.grants.join(", #")}` : ""}  ${m.note}`,
              ),
            ].join("\n"),
          );
        },
      ),
    );

  consent
    .command("export")
    .requiredOption("--patient <name|address>", "whose grants")
    .option("--out <file>", "write a FHIR Bundle of Consents here instead of stdout")
    .description("render the patient's active grants as R4 Consent resources")
    .action(
      run<{ patient: string; out?: string }>(async ({ g, opts }) => {
        const patient = resolveAccount(opts.patient);
        const node = nodeClient(g);
        const net = await node.network();
        const bundle = consentBundleOf(await node.grants({ patient }), net.chainId, patient);
        const consents = bundle.entry ?? [];
        if (opts.out !== undefined) {
          writeFileSync(opts.out, `${JSON.stringify(bundle, null, 2)}\n`);
          emit(
            g,
            { out: opts.out, consents: consents.length },
            () => `wrote ${consents.length} Consent resource(s) to ${opts.out}`,
          );
        } else {
          process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
        }
      }),
    );
}

/** `medchain supply ...` and `medchain verify SCAN`: medicine provenance from the terminal. */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { adminPost } from "../cli/admin.ts";
import { defaultDataDir, nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { captureDocument, recallLot } from "./sdk/captureDocument.ts";
import { joinWithCredential, renewWithCredential } from "./sdk/joinWithCredential.ts";
import type { VerifyResult } from "./sdk/schemas.ts";
import { twinCommands } from "./twin.cli.ts";

const MARK: Record<VerifyResult["verdict"], string> = {
  authentic: "AUTHENTIC",
  unknown: "UNKNOWN (no trace: counterfeit red flag)",
  dispensed: "ALREADY DISPENSED (clone alert)",
  recalled: "RECALLED",
  expired: "EXPIRED",
  suspect: "SUSPECT",
};

function human(r: VerifyResult, withJourney: boolean): string {
  const lines = [`${MARK[r.verdict]}  ${r.unit.key}`];
  if (r.unit.lot !== null || r.unit.expiry !== null)
    lines.push(`  lot ${r.unit.lot ?? "-"}  expiry ${r.unit.expiry ?? "-"}`);
  for (const x of r.reasons) lines.push(`  - ${x.message}`);
  if (r.twin !== null)
    lines.push(
      `  digital twin ${r.twin.unitKey}: ` +
        `${r.twin.decommissioned ? "decommissioned" : `custodian ${r.twin.owner ?? "-"}`}`,
    );
  if (withJourney)
    for (const e of r.journey)
      lines.push(
        `  ${e.time}  ${e.bizStep ?? e.eventType}  by ` +
          `${e.partner}${e.location === null ? "" : ` at ${e.location}`}  (anchor ${e.anchorId})`,
      );
  return lines.join("\n");
}

/** Registers `supply` and `verify`. */
export function supplyCommands(program: Command): void {
  const supply = program
    .command("supply")
    .description("medicine provenance: partners, EPCIS capture, recalls, history");

  supply
    .command("capture")
    .argument("<file>", "an EPCIS 2.0 JSON/JSON-LD document, or EPCIS 1.2/2.0 XML")
    .requiredOption("--as <name>", "the trading partner capturing the events")
    .description("validate (schema + CBV), store, and anchor the document's events under one Merkle root (gasless)")
    .action(
      run<{ as: string }>(async ({ g, args: [file = ""], opts }) => {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch (cause) {
          throw new MedchainError("InvalidInput", `cannot read ${file}`, { cause });
        }
        const r = await captureDocument(nodeClient(g), (await unlock(opts.as)).account, text);
        emit(g, r, () => `captured ${r.events} event(s) in anchor ${r.anchorId} (root ${r.root}); document ${r.cid}`);
      }),
    );

  const partner = supply
    .command("partner")
    .description("trading partners: join with a credential (or, genesis/demo, added by the operator)");
  const readCredential = (file: string): string => {
    try {
      return readFileSync(file, "utf8").trim();
    } catch (cause) {
      throw new MedchainError("InvalidInput", `cannot read the credential file ${file}`, { cause });
    }
  };
  partner
    .command("join")
    .requiredOption(
      "--credential <file>",
      "your authorized-trading-partner credential (JWT), issued by an accredited issuer",
    )
    .requiredOption("--as <name>", "your key (the credential's subject)")
    .description("register yourself as a trading partner with your credential (gasless); you act while it stays valid")
    .action(
      run<{ credential: string; as: string }>(async ({ g, opts }) => {
        const r = await joinWithCredential(
          nodeClient(g),
          (await unlock(opts.as)).account,
          readCredential(opts.credential),
        );
        emit(g, r, () => `${r.account} joined as ${r.role} (GLN ${r.gln}) with credential ${r.credentialId}`);
      }),
    );
  partner
    .command("renew")
    .requiredOption(
      "--credential <file>",
      "your new authorized-trading-partner credential (JWT), same role, GLN and company prefix",
    )
    .requiredOption("--as <name>", "your key (the partner, subject of the credential)")
    .description(
      "rebind your partnership to a new credential (gasless): after " +
        "a revocation, expiry or de-accreditation, or before expiry",
    )
    .action(
      run<{ credential: string; as: string }>(async ({ g, opts }) => {
        const r = await renewWithCredential(
          nodeClient(g),
          (await unlock(opts.as)).account,
          readCredential(opts.credential),
        );
        emit(g, r, () => `${r.account} renewed as ${r.role} (GLN ${r.gln}) with credential ${r.credentialId}`);
      }),
    );
  partner
    .command("add")
    .argument("<account>", "key name or address")
    .requiredOption("--kind <kind>", "manufacturer | repackager | wholesaler | dispenser | regulator")
    .requiredOption("--gln <gln>", "the partner's 13-digit GLN")
    .option("--prefix <prefix>", "GS1 company prefix (manufacturers)")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description("register a trading partner directly (operator: genesis and demo configuration)")
    .action(
      run<{ kind: string; gln: string; prefix?: string; dataDir: string }>(async ({ g, args: [who = ""], opts }) => {
        const account = resolveAccount(who, "account");
        const body = await adminPost(g, opts.dataDir, "/admin/partners", {
          account,
          kind: opts.kind,
          gln: opts.gln,
          ...(opts.prefix === undefined ? {} : { companyPrefix: opts.prefix }),
        });
        emit(g, body, () => `registered ${account} as ${opts.kind} (GLN ${opts.gln})`);
      }),
    );
  partner
    .command("list")
    .description("list trading partners")
    .action(
      run(async ({ g }) => {
        const body = { partners: await nodeClient(g).supplyPartners() };
        const kinds = ["", "manufacturer", "repackager", "wholesaler", "dispenser", "regulator"];
        emit(
          g,
          body,
          () =>
            body.partners
              .map(
                (p) =>
                  `${p.account}  ${kinds[p.kind] ?? p.kind}  GLN ` +
                  `${p.gln}${p.credentialId === null ? "" : "  by credential"}${p.mayAct ? "" : `  may not act: ${p.reason ?? "unknown"}`}`,
              )
              .join("\n") || "no partners",
        );
      }),
    );

  supply
    .command("recall")
    .requiredOption("--gtin <gtin>", "GTIN-14")
    .requiredOption("--prefix <prefix>", "your GS1 company prefix the GTIN is under")
    .requiredOption("--lot <lot>", "the lot")
    .requiredOption("--reason <text>", "why")
    .requiredOption("--as <name>", "the manufacturer")
    .description("recall a lot (on chain)")
    .action(
      run<{ gtin: string; prefix: string; lot: string; reason: string; as: string }>(async ({ g, opts }) => {
        if (!/^[0-9]{14}$/.test(opts.gtin)) throw new MedchainError("InvalidInput", "--gtin takes 14 digits");
        const tx = await recallLot(nodeClient(g), (await unlock(opts.as)).account, {
          gtin: opts.gtin,
          companyPrefix: opts.prefix,
          lot: opts.lot,
          reason: opts.reason,
        });
        emit(
          g,
          { gtin: opts.gtin, lot: opts.lot, recalled: true, txHash: tx },
          () => `lot ${opts.lot} of ${opts.gtin} recalled`,
        );
      }),
    );

  supply
    .command("history")
    .argument("<scan>", "barcode data, bracketed AIs, Digital Link or EPC URI")
    .description("a unit's journey, with proofs")
    .action(
      run(async ({ g, args: [scan = ""] }) => {
        const r = await nodeClient(g).verify(scan);
        emit(g, r, () => human(r, true));
      }),
    );

  program
    .command("verify")
    .argument("<scan>", "barcode data, bracketed AIs, Digital Link or EPC URI")
    .description(
      "check a medicine pack: authentic, unknown, dispensed (clone), recalled, expired or suspect, with reasons",
    )
    .action(
      run(async ({ g, args: [scan = ""] }) => {
        const r = await nodeClient(g).verify(scan);
        emit(g, r, () => human(r, false));
        if (r.verdict !== "authentic") process.exitCode = 3;
      }),
    );

  twinCommands(supply);
}

/** `medchain supply twin mint|transfer|decommission|show SCAN`: a unit's ERC-721 digital twin from the terminal. */
import type { Command } from "commander";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { mintTwin } from "./sdk/twin/mintTwin.ts";
import { transferTwin } from "./sdk/twin/transferTwin.ts";
import { decommissionTwin } from "./sdk/twin/decommissionTwin.ts";
import type { TwinActionResult } from "./sdk/twin/provenEvent.ts";
import type { Twin } from "./sdk/schemas.ts";

const SCAN = "barcode data, bracketed AIs, Digital Link or EPC URI of a serialized unit";

function done(verb: string, r: TwinActionResult): string {
  return (
    `${verb} twin ${r.unitKey}${r.owner === null ? "" : `; custodian ${r.owner}`} ` +
    `(event ${r.eventHash} of anchor ${r.anchorId}; tx ${r.txHash})`
  );
}

function showTwin(key: string, t: Twin): string {
  const lines = [
    `twin ${t.unitKey}  ${key}`,
    `  ${t.decommissioned ? "DECOMMISSIONED (dispensed)" : `custodian ${t.owner ?? "-"}`} ` +
      ` minted by ${t.manufacturer} at ${t.mintedAt}`,
  ];
  for (const s of t.custody) {
    const who =
      s.kind === "minted"
        ? `to ${s.to ?? "-"}`
        : s.kind === "transferred"
          ? `${s.from ?? "-"} -> ${s.to ?? "-"}`
          : `by ${s.from ?? "-"}`;
    lines.push(
      `  ${s.time}  ${s.kind} ${who}  (event ${s.eventHash}, anchor ` +
        `${s.anchorId})${s.check === "ok" ? "" : `  ! ${s.check}`}`,
    );
  }
  return lines.join("\n");
}

/** Registers `supply twin ...` under the `supply` command. */
export function twinCommands(supply: Command): void {
  const twin = supply
    .command("twin")
    .description(
      "ERC-721 digital twins: minted lazily with a commissioning " +
        "proof; custody follows proven shipments; burned at dispense",
    );

  twin
    .command("mint")
    .argument("<scan>", SCAN)
    .requiredOption("--as <name>", "the manufacturer that commissioned the unit")
    .option("--to <account>", "first custodian (key name or address; default: the manufacturer)")
    .description("mint the unit's twin, proving its anchored commissioning event (gasless)")
    .action(
      run<{ as: string; to?: string }>(async ({ g, args: [scan = ""], opts }) => {
        const to = opts.to === undefined ? undefined : resolveAccount(opts.to, "account");
        const r = await mintTwin(nodeClient(g), (await unlock(opts.as)).account, scan, to === undefined ? {} : { to });
        emit(g, r, () => done("minted", r));
      }),
    );

  twin
    .command("transfer")
    .argument("<scan>", SCAN)
    .requiredOption("--as <name>", "the current custodian")
    .option("--to <account>", "the recipient (key name or address; default: the partner the shipment is addressed to)")
    .description("hand the twin to the recipient of your anchored shipment of the unit (gasless)")
    .action(
      run<{ as: string; to?: string }>(async ({ g, args: [scan = ""], opts }) => {
        const to = opts.to === undefined ? undefined : resolveAccount(opts.to, "account");
        const r = await transferTwin(
          nodeClient(g),
          (await unlock(opts.as)).account,
          scan,
          to === undefined ? {} : { to },
        );
        emit(g, r, () => done("transferred", r));
      }),
    );

  twin
    .command("decommission")
    .argument("<scan>", SCAN)
    .requiredOption("--as <name>", "the dispensing custodian")
    .description("burn the twin at dispense, proving your anchored dispensing event (gasless)")
    .action(
      run<{ as: string }>(async ({ g, args: [scan = ""], opts }) => {
        const r = await decommissionTwin(nodeClient(g), (await unlock(opts.as)).account, scan);
        emit(g, r, () => done("decommissioned", r));
      }),
    );

  twin
    .command("show")
    .argument("<scan>", SCAN)
    .description("the twin's custodian and custody steps, each with its proven event")
    .action(
      run(async ({ g, args: [scan = ""] }) => {
        const r = await nodeClient(g).supplyTwin(scan);
        emit(g, r, () => showTwin(r.unit.key, r.twin));
      }),
    );
}

/** `medchain records ...`: import, list, export, delete (crypto-shred), rotate (re-encrypt), and writer permissions. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, passphrase, unlock } from "../cli/context.ts";
import { progress } from "../cli/progress.ts";
import { keyInfo, pairwiseKeysOf, resolveAccount, unlockKey } from "../cli/keystore.ts";
import { parseBundleJson } from "./sdk/fhirBundle.ts";
import { importBundle } from "./sdk/importBundle.ts";
import { exportRecord } from "./sdk/exportRecord.ts";
import { exportUnifiedRecord } from "./sdk/exportUnified.ts";
import { shredBatch } from "./sdk/shredBatch.ts";
import { rotateBatch } from "./sdk/rotateBatch.ts";
import { authorizeWriter, revokeWriter } from "./sdk/writers.ts";
import { categoriesOfMask } from "../kernel/categories.ts";
import { parsePurposes } from "../cli/parse.ts";
import "../consent/sdk/errors.ts";

function readInput(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new MedchainError("InvalidInput", `cannot read ${file}`, { cause, details: { file } });
  }
}

function batchIdArg(v: string): `0x${string}` {
  if (!/^0x[0-9a-fA-F]{64}$/.test(v))
    throw new MedchainError("InvalidInput", "a batch id is 0x followed by 64 hex digits", { details: { batchId: v } });
  return v.toLowerCase() as `0x${string}`;
}

/** Registers the `records` commands. */
export function recordsCommands(program: Command): void {
  const records = program
    .command("records")
    .description("patient records: encrypted on your machine, commitments on chain");

  records
    .command("import")
    .argument("<bundle>", "a FHIR R4 Bundle (transaction, collection, searchset, batch or document) as JSON")
    .requiredOption("--patient <name|address>", "the patient who owns the record")
    .requiredOption("--as <name>", "your key (the patient, or a provider she authorized)")
    .description("validate, encrypt and store a bundle, and register it as one batch on chain")
    .action(
      run<{ patient: string; as: string }>(async ({ g, args: [file = ""], opts }) => {
        const bundle = parseBundleJson(readInput(file));
        const owner = resolveAccount(opts.patient);
        const author = await unlock(opts.as);
        const bar = progress(g);
        let r;
        try {
          r = await importBundle({
            node: nodeClient(g),
            bundle,
            owner,
            author,
            onProgress: (p) => bar.update(p.phase, p.done, p.total),
          });
        } finally {
          bar.stop();
        }
        emit(g, r, () => {
          const cats = Object.entries(r.categories)
            .map(([c, n]) => `${c} ${n}`)
            .join(", ");
          return r.status === "exists"
            ? `already imported as batch ${r.batchId} (${r.resources} resources); nothing done`
            : `imported batch ${r.batchId}\n  resources  ${r.resources} (${cats})\n  manifest   ` +
                `${r.manifestCid}\n  tx         ${r.txHash ?? ""} (block ${r.blockNumber ?? ""})`;
        });
      }),
    );

  records
    .command("list")
    .requiredOption("--patient <name|address>", "whose record")
    .option("--as <name>", "accepted for symmetry; listing needs no key")
    .description("list the batches of a patient's record (ids, authors, categories, counts; no content)")
    .action(
      run<{ patient: string }>(async ({ g, opts }) => {
        const owner = resolveAccount(opts.patient);
        const batches = await nodeClient(g).listBatches(owner);
        const rows = batches.map((b) => ({ ...b, categoryNames: categoriesOfMask(b.categories) }));
        emit(g, { owner, batches: rows }, () =>
          rows.length === 0
            ? "no records"
            : rows
                .map(
                  (b) =>
                    `${b.batchId}  ${String(b.count).padStart(4)} resources  by ` +
                    `${b.author}${b.erased ? "  ERASED" : ""}  [${b.categoryNames.join(", ")}]`,
                )
                .join("\n"),
        );
      }),
    );

  records
    .command("export")
    .requiredOption("--patient <name|address>", "whose record")
    .requiredOption("--as <name>", "your key (the patient or an author)")
    .option("--out <file>", "write the Bundle here instead of stdout")
    .option("--batch <id...>", "only these batches")
    .option("--grant <id>", "read through this grant (keys released by the keepers for the categories it covers)")
    .option("--purpose <code>", "purpose of use for --grant (HL7 PurposeOfUse)", "TREAT")
    .description(
      "decrypt the patient's whole record (all batches, all authors; with " +
        "her own key, all her pairwise addresses too) into one FHIR Bundle",
    )
    .action(
      run<{ patient: string; as: string; out?: string; batch?: string[]; grant?: string; purpose: string }>(
        async ({ g, opts }) => {
          const owner = resolveAccount(opts.patient);
          const node = nodeClient(g);
          // The patient reading her own whole record: gather her root and every pairwise address she holds (linked only
          // here).
          const own =
            opts.grant === undefined && opts.batch === undefined && keyInfo(opts.as).address === owner
              ? pairwiseKeysOf(opts.as)
              : [];
          let r;
          let owners: `0x${string}`[] = [owner];
          if (own.length > 0) {
            const pass = await passphrase(`of key "${opts.as}"`);
            r = await exportUnifiedRecord({
              node,
              identities: [unlockKey(opts.as, pass), ...own.map((k) => unlockKey(k.name, pass))],
            });
            owners = r.owners;
          } else {
            const reader = await unlock(opts.as);
            let access;
            if (opts.grant !== undefined) {
              const grant = (await node.grants({ grantee: reader.account.address })).find(
                (x) => x.grantId === opts.grant,
              );
              if (grant === undefined)
                throw new MedchainError("GrantNotFound", `no grant ${opts.grant} to this key`, {
                  details: { grantId: opts.grant },
                });
              const [purpose] = parsePurposes(opts.purpose);
              access = { grantId: grant.grantId, purpose: purpose ?? "TREAT", categories: grant.categories };
            }
            const params = {
              node,
              reader,
              owner,
              ...(opts.batch === undefined ? {} : { batchIds: opts.batch.map(batchIdArg) }),
              ...(access === undefined ? {} : { access }),
            };
            r = await exportRecord(params);
          }
          const n = r.bundle.entry?.length ?? 0;
          if (opts.out !== undefined) {
            writeFileSync(opts.out, `${JSON.stringify(r.bundle, null, 2)}\n`, { mode: 0o600 });
            emit(
              g,
              {
                out: opts.out,
                resources: n,
                batches: r.batches,
                skipped: r.skipped,
                hidden: r.hidden,
                addresses: owners.length,
              },
              () =>
                `wrote ${n} resources from ${r.batches.length} ` +
                `batches${owners.length > 1 ? ` of ${owners.length} addresses (yours and your pairwise ones)` : ""} ` +
                `to ${opts.out}` +
                `${r.skipped.length > 0 ? ` (${r.skipped.length} skipped: ${r.skipped.map((s) => s.reason).join(", ")})` : ""}`,
            );
          } else {
            process.stdout.write(`${JSON.stringify(r.bundle, null, 2)}\n`);
          }
        },
      ),
    );

  records
    .command("delete")
    .argument("<batch>", "batch id (0x...)")
    .requiredOption("--as <name>", "the patient's key")
    .description(
      "erase a batch for good (crypto-shredding): keys destroyed, ciphertexts unpinned, batch marked erased on chain",
    )
    .action(
      run<{ as: string }>(async ({ g, args: [batch = ""], opts }) => {
        const batchId = batchIdArg(batch);
        const owner = await unlock(opts.as);
        const tx = await shredBatch(nodeClient(g), owner, batchId);
        emit(
          g,
          { batchId, erased: true, txHash: tx.txHash },
          () => `erased batch ${batchId} (tx ${tx.txHash}); nobody can decrypt it any more`,
        );
      }),
    );

  records
    .command("rotate")
    .argument("<batch>", "batch id (0x...)")
    .requiredOption("--as <name>", "the patient's key")
    .description(
      "re-encrypt a batch under new keys (after revoking a grant): " +
        "keys released before open nothing of the new version",
    )
    .action(
      run<{ as: string }>(async ({ g, args: [batch = ""], opts }) => {
        const batchId = batchIdArg(batch);
        const owner = await unlock(opts.as);
        const bar = progress(g);
        let r;
        try {
          r = await rotateBatch(nodeClient(g), owner, batchId, {
            onProgress: (p) => bar.update(p.phase, p.done, p.total),
          });
        } finally {
          bar.stop();
        }
        emit(
          g,
          r,
          () =>
            `rotated batch ${r.batchId} to version ${r.version}\n  manifest   ${r.manifestCid} ` +
            `(replaces ${r.supersedes})\n  tx         ${r.txHash} (block ${r.blockNumber})`,
        );
      }),
    );

  records
    .command("authorize")
    .argument("<writer>", "provider name or address")
    .requiredOption("--as <name>", "the patient's key")
    .description("let a provider add records to your record")
    .action(
      run<{ as: string }>(async ({ g, args: [writer = ""], opts }) => {
        const w = resolveAccount(writer, "writer");
        const tx = await authorizeWriter(nodeClient(g), await unlock(opts.as), w);
        emit(g, { writer: w, authorized: true, txHash: tx.txHash }, () => `${w} may now add records to your record`);
      }),
    );

  records
    .command("unauthorize")
    .argument("<writer>", "provider name or address")
    .requiredOption("--as <name>", "the patient's key")
    .description("stop a provider from adding records to your record")
    .action(
      run<{ as: string }>(async ({ g, args: [writer = ""], opts }) => {
        const w = resolveAccount(writer, "writer");
        const tx = await revokeWriter(nodeClient(g), await unlock(opts.as), w);
        emit(
          g,
          { writer: w, authorized: false, txHash: tx.txHash },
          () => `${w} may no longer add records to your record`,
        );
      }),
    );
}

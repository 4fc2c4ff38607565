/** `medchain key ...`: local keys whose encryption key is published on chain (gasless). */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { createKey, createPairwiseKey, deleteKey, keyInfo, listKeys, type KeyInfo } from "../cli/keystore.ts";
import { publishEncryptionKey } from "./sdk/publishEncryptionKey.ts";
import { didOf } from "./sdk/did.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, passphrase } from "../cli/context.ts";

/** Registers the `key` commands. */
export function keyCommands(program: Command): void {
  const key = program.command("key").description("manage your keys (signing + encryption)");

  key
    .command("new")
    .argument("[name]", "a local name for the key, e.g. alice or clinic (a pairwise key is named ROOT@PROVIDER)")
    .option(
      "--pairwise <provider>",
      "derive a relationship key for this provider from your root " +
        "key (--as): a fresh address nothing on chain links to the root",
    )
    .option("--as <root>", "with --pairwise: your root key")
    .description("create a signing key and an encryption key, and publish the encryption key on chain (gasless)")
    .action(
      run<{ pairwise?: string; as?: string }>(async ({ g, args: [given], opts }) => {
        if (opts.pairwise === undefined && given === undefined)
          throw new MedchainError(
            "InvalidInput",
            "name the key: medchain key new NAME (or key new --pairwise PROVIDER --as ROOT)",
          );
        if (opts.pairwise !== undefined && opts.as === undefined)
          throw new MedchainError("InvalidInput", "--pairwise needs --as ROOT: the key to derive from");
        if (opts.pairwise !== undefined && given !== undefined)
          throw new MedchainError(
            "InvalidInput",
            "a pairwise key is named ROOT@PROVIDER: give no name with --pairwise",
          );
        if (opts.pairwise === undefined && opts.as !== undefined)
          throw new MedchainError("InvalidInput", "--as goes with --pairwise");
        const node = nodeClient(g);
        const net = await node.network(); // fail early, before anything is stored, if the node is unreachable
        const root = opts.as ?? "";
        if (opts.pairwise !== undefined) keyInfo(root); // KeyNotFound before asking for a passphrase
        const pass = await passphrase(
          opts.pairwise === undefined ? `to protect key "${given ?? ""}"` : `of key "${root}"`,
        );
        const { info, keys } =
          opts.pairwise === undefined
            ? await createKey(given ?? "", pass)
            : await createPairwiseKey(root, opts.pairwise, pass);
        const name = info.name;
        let tx;
        try {
          tx = await publishEncryptionKey(node, keys);
        } catch (err) {
          deleteKey(name); // nothing stays stored when the key could not be registered
          throw err;
        }
        const out = {
          name,
          address: info.address,
          did: didOf(net.chainId, info.address),
          encryptionKey: info.encryptionPublicKey,
          txHash: tx.txHash,
          ...(info.pairwise === undefined ? {} : { pairwise: info.pairwise }),
        };
        emit(g, out, () =>
          [
            `created ${info.pairwise === undefined ? "key" : `pairwise key for ${info.pairwise.provider} (derived from "${info.pairwise.root}"; the link stays on this machine)`} "${name}"`,
            `  address        ${out.address}`,
            `  did            ${out.did}`,
            `  encryption key ${out.encryptionKey}`,
            `  registered in  ${tx.txHash} (gas paid by the node's relayer)`,
          ].join("\n"),
        );
      }),
    );

  key
    .command("list")
    .description("list your local keys (pairwise keys under their root)")
    .action(
      run(async ({ g }) => {
        const keys = listKeys();
        const line = (k: KeyInfo): string =>
          k.pairwise === undefined
            ? `${k.name.padEnd(24)} ${k.address}`
            : `  @${k.pairwise.provider.padEnd(21)} ${k.address}  (pairwise)`;
        emit(g, { keys }, () => (keys.length === 0 ? "no keys yet: medchain key new NAME" : keys.map(line).join("\n")));
      }),
    );

  key
    .command("show")
    .argument("<name>")
    .description("show a key's address, DID and encryption key")
    .action(
      run(async ({ g, args: [name = ""] }) => {
        const info = keyInfo(name);
        const net = await nodeClient(g)
          .network()
          .catch(() => null);
        const out = { ...info, did: net === null ? null : didOf(net.chainId, info.address) };
        emit(g, out, () =>
          [
            `${info.name}${info.pairwise === undefined ? "" : `  (pairwise key of "${info.pairwise.root}" for ${info.pairwise.provider})`}`,
            `  address        ${info.address}`,
            `  did            ${out.did ?? "(node unreachable)"}`,
            `  encryption key ${info.encryptionPublicKey}`,
          ].join("\n"),
        );
      }),
    );
}

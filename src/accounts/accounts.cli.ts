/** `medchain key ...`: local keys whose encryption key is published on chain (gasless). */
import type { Command } from "commander";
import { createKey, deleteKey, keyInfo, listKeys } from "./keystore.ts";
import { publishEncryptionKey } from "./sdk/publishEncryptionKey.ts";
import { didOf } from "./did.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, passphrase } from "../cli/context.ts";

/** Registers the `key` commands. */
export function keyCommands(program: Command): void {
  const key = program.command("key").description("manage your keys (signing + encryption)");

  key.command("new")
    .argument("<name>", "a local name for the key, e.g. alice or clinic")
    .description("create a signing key and an encryption key, and publish the encryption key on chain (gasless)")
    .action(run(async ({ g, args: [name = ""] }) => {
      const node = nodeClient(g);
      const net = await node.network(); // fail early, before anything is stored, if the node is unreachable
      const pass = await passphrase(`to protect key "${name}"`);
      const { info, keys } = await createKey(name, pass);
      let tx;
      try {
        tx = await publishEncryptionKey(node, keys);
      } catch (err) {
        deleteKey(name); // nothing stays stored when the key could not be registered
        throw err;
      }
      const out = { name, address: info.address, did: didOf(net.chainId, info.address), encryptionKey: info.encryptionPublicKey, txHash: tx.txHash };
      emit(g, out, () => [
        `created key "${name}"`, `  address        ${out.address}`, `  did            ${out.did}`,
        `  encryption key ${out.encryptionKey}`, `  registered in  ${tx.txHash} (gas paid by the node's relayer)`,
      ].join("\n"));
    }));

  key.command("list").description("list your local keys").action(run(async ({ g }) => {
    const keys = listKeys();
    emit(g, { keys }, () => (keys.length === 0 ? "no keys yet: medchain key new NAME" : keys.map((k) => `${k.name.padEnd(16)} ${k.address}`).join("\n")));
  }));

  key.command("show").argument("<name>").description("show a key's address, DID and encryption key").action(run(async ({ g, args: [name = ""] }) => {
    const info = keyInfo(name);
    const net = await nodeClient(g).network().catch(() => null);
    const out = { ...info, did: net === null ? null : didOf(net.chainId, info.address) };
    emit(g, out, () => [`${info.name}`, `  address        ${info.address}`, `  did            ${out.did ?? "(node unreachable)"}`, `  encryption key ${info.encryptionPublicKey}`].join("\n"));
  }));
}

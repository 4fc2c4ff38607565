/**
 * The embedded profile's keepers: three in-process keepers (threshold 2),
 * each with its own keys and audit log under `<dataDir>/keepers/k<i>`. On
 * start each publishes its encryption key on chain (gasless) and the node's
 * operator, admin of the audit anchor, grants it the keeper role.
 */
import { join } from "node:path";
import { encodeFunctionData, keccak256, type PublicClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { auditAnchorAbi, keyRegistryAbi } from "../chain/generated/contracts.ts";
import { relayCall, type RelayPort } from "../kernel/relay/relayCall.ts";
import type { TxSender } from "../node/chain/txSender.ts";
import type { Deployment } from "../node/deployment.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { utf8Encode } from "../kernel/crypto/bytes.ts";
import { Keeper } from "./keeper.ts";
import { KeeperState } from "./keeperState.ts";

/** Keeper count and threshold of the embedded profile. */
export const EMBEDDED_KEEPERS = { count: 3, threshold: 2 } as const;

/** Role id of keepers on the audit anchor. */
export const KEEPER_ROLE = keccak256(utf8Encode("KEEPER_ROLE"));

/** Opens the embedded keepers and makes sure each is registered on chain. */
export async function startEmbeddedKeepers(opts: {
  dataDir: string;
  client: PublicClient;
  sender: TxSender;
  deployment: Deployment;
  blobs: BlobStore;
  relay: RelayPort;
}): Promise<Keeper[]> {
  const { client, deployment, sender, relay } = opts;
  const contracts = {
    chainId: deployment.chainId,
    recordRegistry: deployment.recordRegistry,
    keyRegistry: deployment.keyRegistry,
    consentRegistry: deployment.consentRegistry,
    auditAnchor: deployment.auditAnchor,
  };
  const anchorRoot = async (
    account: PrivateKeyAccount,
    root: `0x${string}`,
    count: number,
    digest: `0x${string}`,
  ): Promise<void> => {
    const data = encodeFunctionData({ abi: auditAnchorAbi, functionName: "anchor", args: [root, count, digest] });
    await relayCall(relay, account, deployment.auditAnchor, data);
  };
  const keepers: Keeper[] = [];
  for (let i = 0; i < EMBEDDED_KEEPERS.count; i++) {
    const keeper = await Keeper.open({
      index: i,
      state: KeeperState.open(join(opts.dataDir, "keepers", `k${i}`)),
      client,
      contracts,
      fetchBlob: (cid) => opts.blobs.get(cid, { verify: false }),
      anchorRoot,
    });
    const [published] = await client.readContract({
      address: deployment.keyRegistry,
      abi: keyRegistryAbi,
      functionName: "encryptionKeyOf",
      args: [keeper.address],
    });
    if (published.toLowerCase() !== keeper.encryptionPublicKey.toLowerCase()) {
      const data = encodeFunctionData({
        abi: keyRegistryAbi,
        functionName: "publishEncryptionKey",
        args: [keeper.encryptionPublicKey],
      });
      await relayCall(relay, keeper.account, deployment.keyRegistry, data);
    }
    const hasRole = await client.readContract({
      address: deployment.auditAnchor,
      abi: auditAnchorAbi,
      functionName: "hasRole",
      args: [KEEPER_ROLE, keeper.account.address],
    });
    if (!hasRole)
      await sender.writeContract({
        address: deployment.auditAnchor,
        abi: auditAnchorAbi,
        functionName: "grantRole",
        args: [KEEPER_ROLE, keeper.account.address],
      });
    keepers.push(keeper);
  }
  return keepers;
}

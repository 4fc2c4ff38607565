/**
 * Operator side of the supply slice: the node's operator registers trading partners (REGISTRAR_ROLE) until governance
 * does.
 */
import { keccak256, type PublicClient } from "viem";
import { tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { utf8Encode } from "../kernel/crypto/bytes.ts";
import type { TxSender } from "../node/chain/txSender.ts";

/** keccak256("REGISTRAR_ROLE"). */
export const REGISTRAR_ROLE = keccak256(utf8Encode("REGISTRAR_ROLE"));

/** Partner kinds as stored on chain. */
export const PARTNER_KINDS = { manufacturer: 1, repackager: 2, wholesaler: 3, dispenser: 4, regulator: 5 } as const;

/** Gives the node's operator (admin of TradingPartners) the registrar role, once. */
export async function ensureRegistrar(
  client: PublicClient,
  sender: TxSender,
  tradingPartners: `0x${string}`,
): Promise<void> {
  const has = await client.readContract({
    address: tradingPartners,
    abi: tradingPartnersAbi,
    functionName: "hasRole",
    args: [REGISTRAR_ROLE, sender.address],
  });
  if (!has)
    await sender.writeContract({
      address: tradingPartners,
      abi: tradingPartnersAbi,
      functionName: "grantRole",
      args: [REGISTRAR_ROLE, sender.address],
    });
}

/**
 * The registered trading partners as the chain holds them now, each with whether it may act (anchor, ship, mint,
 * recall) and, when not, the code acting would be refused with: `PartnerSuspended` (the registrar suspended it) or,
 * for a partner registered by credential, the trust registry's verdict on that credential (`CredentialRevoked`,
 * `CredentialExpired`, `CredentialIssuerNotAccredited`, ...), asked through `TradingPartners.checkPartner`.
 */
import { zeroHash } from "viem";
import { tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { PARTNER_REASONS, type PartnerInfo, type PartnerReason } from "./sdk/schemas.ts";

/** Why `account` may not act now (null if it may), read from the chain's `checkPartner`. */
async function reasonOf(ctx: NodeContext, account: `0x${string}`): Promise<PartnerReason | null> {
  try {
    const [, active] = await ctx.client.readContract({
      address: ctx.deployment.tradingPartners,
      abi: tradingPartnersAbi,
      functionName: "checkPartner",
      args: [account],
    });
    return active ? null : "PartnerSuspended";
  } catch (err) {
    const decoded = decodeRevert(err);
    const code = decoded?.code;
    if (code !== undefined && (PARTNER_REASONS as readonly string[]).includes(code)) return code as PartnerReason;
    throw (
      decoded ?? new MedchainError("ChainUnavailable", "could not check the trading partner on chain", { cause: err })
    );
  }
}

/** Every registered partner (in registration order) with its credential, whether it may act now and why not. */
export async function listPartners(ctx: NodeContext): Promise<PartnerInfo[]> {
  const address = ctx.deployment.tradingPartners;
  const logs = await ctx.client.getContractEvents({
    address,
    abi: tradingPartnersAbi,
    eventName: "PartnerRegistered",
    fromBlock: 0n,
  });
  return Promise.all(
    logs.map(async (l) => {
      const account = String(l.args.account).toLowerCase() as `0x${string}`;
      const [p, credentialId, reason] = await Promise.all([
        ctx.client.readContract({ address, abi: tradingPartnersAbi, functionName: "partnerOf", args: [account] }),
        ctx.client.readContract({ address, abi: tradingPartnersAbi, functionName: "credentialOf", args: [account] }),
        reasonOf(ctx, account),
      ]);
      return {
        account,
        kind: p.kind,
        gln: p.gln.toString().padStart(13, "0"),
        active: p.active,
        credentialId: credentialId === zeroHash ? null : credentialId,
        mayAct: reason === null,
        reason,
      };
    }),
  );
}

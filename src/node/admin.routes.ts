/**
 * Operator routes of a node, behind a bearer token kept in
 * `<dataDir>/admin-token` (mode 0600, created on first start): the node's
 * operator is admin of the consent registry until governance takes over
 * (identity issue), and grants the clinician role here.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { MedchainError } from "../core/errors.ts";
import { zAddress } from "../core/schemas.ts";
import { auditAnchorAbi, consentRegistryAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../chain/contractErrors.ts";
import { PARTNER_KINDS } from "../supply/supply.admin.ts";
import { KEEPER_ROLE } from "../keeper/embeddedKeepers.ts";
import { CLINICIAN_ROLE } from "../chain/contractErrors.ts";
import type { NodeContext } from "./context.ts";
import type { TxSender } from "./chain/txSender.ts";

/** `POST /admin/roles`. */
export function adminRoutes(ctx: NodeContext, sender: TxSender, token: string): FastifyPluginAsyncZod {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (app) => {
    app.post("/admin/partners", {
      schema: {
        tags: ["admin"], summary: "Register a trading partner (operator as registrar until governance; bearer token from the data dir)",
        body: z.object({ account: zAddress, kind: z.enum(["manufacturer", "repackager", "wholesaler", "dispenser", "regulator"]), gln: z.string().regex(/^[0-9]{13}$/), companyPrefix: z.string().regex(/^[0-9]{4,12}$/).optional() }),
        response: { 200: z.object({ account: zAddress, kind: z.string(), gln: z.string() }) },
      },
    }, async (req) => {
      const got = Buffer.from(req.headers.authorization ?? "");
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new MedchainError("AccessDenied", "operator token required");
      const account = req.body.account.toLowerCase() as `0x${string}`;
      try {
        await sender.writeContract({
          address: ctx.deployment.tradingPartners, abi: tradingPartnersAbi, functionName: "registerPartner",
          args: [account, PARTNER_KINDS[req.body.kind], BigInt(req.body.gln), req.body.companyPrefix ?? ""],
        });
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      return { account, kind: req.body.kind, gln: req.body.gln };
    });
    app.post("/admin/roles", {
      schema: {
        tags: ["admin"], summary: "Grant or revoke the clinician role (consent registry) or the keeper role (audit anchor); operator only, bearer token from the data dir",
        body: z.object({ role: z.enum(["clinician", "keeper"]), account: zAddress, grant: z.boolean().default(true) }),
        response: { 200: z.object({ role: z.string(), account: zAddress, granted: z.boolean() }) },
      },
    }, async (req) => {
      const got = Buffer.from(req.headers.authorization ?? "");
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new MedchainError("AccessDenied", "operator token required");
      const account = req.body.account.toLowerCase() as `0x${string}`;
      const fn = req.body.grant ? "grantRole" : "revokeRole";
      if (req.body.role === "clinician") {
        await sender.writeContract({ address: ctx.deployment.consentRegistry, abi: consentRegistryAbi, functionName: fn, args: [CLINICIAN_ROLE, account] });
      } else {
        await sender.writeContract({ address: ctx.deployment.auditAnchor, abi: auditAnchorAbi, functionName: fn, args: [KEEPER_ROLE, account] });
      }
      return { role: req.body.role, account, granted: req.body.grant };
    });
  };
}

/**
 * Operator routes of a node, behind a bearer token kept in
 * `<dataDir>/admin-token` (mode 0600, created on first start): the operator
 * registers trading partners, grants keepers the role to anchor their audit
 * logs, and mints the consortium's founding members once (genesis). Clinician
 * roles are not the operator's: they come from licence credentials of issuers
 * the consortium accredited (trust registry).
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { MedchainError } from "../core/errors.ts";
import { zAddress } from "../core/schemas.ts";
import { auditAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../chain/contractErrors.ts";
import { PARTNER_KINDS } from "../supply/supply.admin.ts";
import { KEEPER_ROLE } from "../keeper/embeddedKeepers.ts";
import type { NodeContext } from "./context.ts";
import type { TxSender } from "./chain/txSender.ts";
import { governanceGenesis } from "./deployment.ts";

/** `POST /admin/partners`, `POST /admin/roles`, `POST /admin/gov/genesis`. */
export function adminRoutes(ctx: NodeContext, sender: TxSender, token: string): FastifyPluginAsyncZod {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (app) => {
    // One check for every operator route of this plugin, before the body is even parsed.
    app.addHook("onRequest", async (req) => {
      const got = Buffer.from(req.headers.authorization ?? "");
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new MedchainError("AccessDenied", "operator token required");
    });
    app.post("/admin/gov/genesis", {
      schema: {
        tags: ["admin"], summary: "Genesis configuration: mint the consortium's founding members, once (refused with GenesisClosed afterwards); operator only",
        body: z.object({ members: z.array(zAddress).min(1).max(100) }),
        response: { 200: z.object({ members: z.array(zAddress) }) },
      },
    }, async (req) => {
      const members = req.body.members.map((m) => m.toLowerCase() as `0x${string}`);
      let done: boolean;
      try {
        done = await governanceGenesis(ctx.client, sender, ctx.deployment, members);
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      if (!done) throw new MedchainError("GenesisClosed", "the founding members are already set; only governance changes the membership now");
      await ctx.indexer.poll();
      return { members };
    });
    app.post("/admin/partners", {
      schema: {
        tags: ["admin"], summary: "Register a trading partner (operator as registrar until governance; bearer token from the data dir)",
        body: z.object({ account: zAddress, kind: z.enum(["manufacturer", "repackager", "wholesaler", "dispenser", "regulator"]), gln: z.string().regex(/^[0-9]{13}$/), companyPrefix: z.string().regex(/^[0-9]{4,12}$/).optional() }),
        response: { 200: z.object({ account: zAddress, kind: z.string(), gln: z.string() }) },
      },
    }, async (req) => {
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
        tags: ["admin"], summary: "Grant or revoke the keeper role (audit anchor); operator only, bearer token from the data dir",
        body: z.object({ role: z.enum(["keeper"]), account: zAddress, grant: z.boolean().default(true) }),
        response: { 200: z.object({ role: z.string(), account: zAddress, granted: z.boolean() }) },
      },
    }, async (req) => {
      const account = req.body.account.toLowerCase() as `0x${string}`;
      const fn = req.body.grant ? "grantRole" : "revokeRole";
      try {
        await sender.writeContract({ address: ctx.deployment.auditAnchor, abi: auditAnchorAbi, functionName: fn, args: [KEEPER_ROLE, account] });
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      return { role: req.body.role, account, granted: req.body.grant };
    });
  };
}

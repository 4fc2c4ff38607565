/** The audit slice: keepers' access events anchored as Merkle roots (AuditAnchor); `medchain audit`. */
import { auditAnchorAbi, auditAnchorBytecode } from "../chain/generated/contracts.ts";
import type { SliceModule } from "../node/module.ts";
import { AUDIT_ENDPOINTS } from "./sdk/endpoints.ts";
import { AUDIT_CONTRACT_ERRORS } from "./audit.contractErrors.ts";
import { auditCommands } from "./audit.cli.ts";
import "./sdk/network.ts";

/** The audit slice's module. */
export const auditModule: SliceModule = {
  name: "audit",
  contracts: [
    {
      key: "auditAnchor",
      abi: auditAnchorAbi,
      bytecode: auditAnchorBytecode,
      relayTarget: true,
      args: (d, env) => [d.forwarder, env.operator],
    },
  ],
  contractErrors: AUDIT_CONTRACT_ERRORS,
  httpPrefixes: ["/audit"],
  endpoints: AUDIT_ENDPOINTS,
  async routes(ctx) {
    return (await import("./audit.routes.ts")).auditRoutes(ctx);
  },
  cli: auditCommands,
};

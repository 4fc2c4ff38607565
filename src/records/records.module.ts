/** The records slice: encrypted FHIR batches (RecordRegistry), writers, erasure; `medchain records`. */
import { recordRegistryAbi, recordRegistryBytecode } from "../chain/generated/contracts.ts";
import type { SliceModule } from "../node/module.ts";
import { RECORDS_ENDPOINTS } from "./sdk/endpoints.ts";
import { RECORDS_CONTRACT_ERRORS } from "./records.contractErrors.ts";
import { RECORDS_ERRORS } from "./sdk/errors.ts";
import { recordsCommands } from "./records.cli.ts";
import "./sdk/network.ts";

/** The records slice's module. */
export const recordsModule: SliceModule = {
  name: "records",
  contracts: [
    {
      key: "recordRegistry",
      abi: recordRegistryAbi,
      bytecode: recordRegistryBytecode,
      relayTarget: true,
      args: (d) => [d.forwarder],
    },
  ],
  contractErrors: RECORDS_CONTRACT_ERRORS,
  errors: RECORDS_ERRORS,
  httpPrefixes: ["/records"],
  endpoints: RECORDS_ENDPOINTS,
  async indexers(env) {
    const { recordsIndexer } = await import("./records.indexer.ts");
    return [recordsIndexer(env.deployment.recordRegistry, env.blobs, env.client)];
  },
  async routes(ctx) {
    return (await import("./records.routes.ts")).recordsRoutes(ctx);
  },
  cli: recordsCommands,
};

/** The relay contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type). */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { medchainForwarderAbi } from "../chain/generated/contracts.ts";

/** Every custom error of the relay slice's contracts, with its code and message. */
export const RELAY_CONTRACT_ERRORS = defineContractErrors("relay", medchainForwarderAbi, {
  ERC2771ForwarderNoRefundReceiver: {
    code: "InvalidInput",
    message: "a batch of requests that may fail needs a refund receiver",
  },
});

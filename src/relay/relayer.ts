/**
 * The relayer: submits users' EIP-712-signed ForwardRequests through
 * OpenZeppelin's ERC2771Forwarder and pays the gas, so patients never need
 * crypto money. It only forwards to medchain's own contracts, refuses calls
 * that would revert (decoded to typed errors) before anything is sent, and
 * answers only once the transaction is mined and indexed.
 */
import { concat, parseEventLogs, type Abi, type PublicClient } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import { medchainForwarderAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { TxSender } from "../node/chain/txSender.ts";
import type { Deployment } from "../node/deployment.ts";
import type { ForwardRequest, PreparedRelay, RelayResult } from "../kernel/relay/forwardRequest.ts";

function plain(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  return Array.isArray(v) ? v.map(plain) : v;
}

/** How long a prepared request stays valid. */
const DEADLINE_SECONDS = 600;

/** Dependencies of a {@link Relayer}. */
export interface RelayerDeps {
  client: PublicClient;
  sender: TxSender;
  deployment: Deployment;
  /** The contracts users' calls may go to (every slice's relay targets). */
  targets: readonly { address: `0x${string}`; abi: Abi }[];
  /** Resolves once the index has caught up with `blockNumber` (read-your-writes for clients). */
  waitIndexed: (blockNumber: bigint) => Promise<void>;
}

/** Gasless transaction submission for medchain's contracts. */
export class Relayer {
  readonly #deps: RelayerDeps;
  readonly #targets: Set<string>;
  /** Events of every target contract, to report what a relayed call did. */
  readonly #eventsAbi: Abi;

  constructor(deps: RelayerDeps) {
    this.#deps = deps;
    this.#targets = new Set(deps.targets.map((t) => t.address.toLowerCase()));
    this.#eventsAbi = deps.targets.flatMap((t) => t.abi.filter((x) => x.type === "event"));
  }

  #checkTarget(to: string): void {
    if (!this.#targets.has(to.toLowerCase())) {
      throw new MedchainError("InvalidInput", "the relayer only forwards calls to medchain's contracts", {
        details: { to },
      });
    }
  }

  /** Simulates the inner call as the forwarder would make it; throws the decoded contract error if it would revert. */
  async #simulate(from: `0x${string}`, to: `0x${string}`, data: `0x${string}`): Promise<bigint> {
    try {
      return await this.#deps.client.estimateGas({
        account: this.#deps.deployment.forwarder,
        to,
        data: concat([data, from]),
      });
    } catch (err) {
      throw (
        decodeRevert(err) ??
        new MedchainError("ChainUnavailable", "could not simulate the call on the chain", { cause: err })
      );
    }
  }

  /** Nonce, gas and EIP-712 domain for a call by `from`; refuses a call that would revert. */
  async prepare(body: { from: `0x${string}`; to: `0x${string}`; data: `0x${string}` }): Promise<PreparedRelay> {
    this.#checkTarget(body.to);
    const gas = await this.#simulate(body.from, body.to, body.data);
    const { client, deployment } = this.#deps;
    const nonce = await client.readContract({
      address: deployment.forwarder,
      abi: medchainForwarderAbi,
      functionName: "nonces",
      args: [body.from],
    });
    const block = await client.getBlock();
    return {
      domain: {
        name: "MedchainForwarder",
        version: "1",
        chainId: deployment.chainId,
        verifyingContract: deployment.forwarder,
      },
      request: {
        from: body.from.toLowerCase() as `0x${string}`,
        to: body.to.toLowerCase() as `0x${string}`,
        value: "0",
        gas: ((gas * 13n) / 10n + 20_000n).toString(),
        nonce: nonce.toString(),
        deadline: Number(block.timestamp) + DEADLINE_SECONDS,
        data: body.data.toLowerCase() as `0x${string}`,
      },
    };
  }

  /** Verifies and submits a signed request; resolves once mined and indexed. */
  async relay(request: ForwardRequest, signature: `0x${string}`): Promise<RelayResult> {
    this.#checkTarget(request.to);
    if (request.value !== "0") throw new MedchainError("InvalidInput", "the relayer does not forward value");
    const { client, deployment, sender } = this.#deps;
    const data = {
      from: request.from,
      to: request.to,
      value: 0n,
      gas: BigInt(request.gas),
      deadline: request.deadline,
      data: request.data,
      signature,
    };
    const valid = await client.readContract({
      address: deployment.forwarder,
      abi: medchainForwarderAbi,
      functionName: "verify",
      args: [data],
    });
    if (!valid) {
      throw new MedchainError(
        "InvalidSignature",
        "the signature does not match the request, or the request expired or was already used",
      );
    }
    // Decode an inner revert to its typed error before paying for it.
    await this.#simulate(request.from, request.to, request.data);
    let receipt;
    try {
      receipt = await sender.writeContract({
        address: deployment.forwarder,
        abi: medchainForwarderAbi,
        functionName: "execute",
        args: [data],
      });
    } catch (err) {
      throw (
        decodeRevert(err) ??
        new MedchainError("RelayFailed", "the relayer could not submit the transaction", { cause: err })
      );
    }
    if (receipt.status !== "success") {
      throw new MedchainError("RelayFailed", "the relayed transaction reverted", {
        details: { txHash: receipt.transactionHash },
      });
    }
    await this.#deps.waitIndexed(receipt.blockNumber);
    const events = parseEventLogs({ abi: this.#eventsAbi, logs: receipt.logs }).map((l) => ({
      name: l.eventName,
      args: Object.fromEntries(Object.entries(l.args as Record<string, unknown>).map(([k, v]) => [k, plain(v)])),
    }));
    return {
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
      gasUsed: Number(receipt.gasUsed),
      events,
    };
  }
}

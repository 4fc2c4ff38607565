/**
 * The node's own transaction sender: one account, one nonce sequence, local
 * signing, raw sends, and a durable record (ChainEndpoint.recordConfirmed)
 * before a confirmation is returned to anyone. Standard JSON-RPC only.
 */
import {
  BaseError,
  Eip1559FeesNotSupportedError,
  TransactionReceiptNotFoundError,
  encodeDeployData,
  encodeFunctionData,
  getContractError,
} from "viem";
import type {
  Abi,
  Address,
  ContractFunctionArgs,
  ContractFunctionName,
  ContractFunctionParameters,
  EncodeDeployDataParameters,
  Hex,
  PublicClient,
  TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PrivateKeyAccount } from "viem/accounts";
import { MedchainError } from "../../kernel/errors.ts";
import type { ChainEndpoint } from "./endpoint.ts";
import { SerialQueue } from "./serialQueue.ts";

/** State mutabilities a transaction can call. */
type WriteMutability = "nonpayable" | "payable";

/** Gas and value options of a transaction. */
export interface TxOptions {
  /** Wei to send along. */
  value?: bigint;
  /** Gas limit; default: the estimate plus 10%. */
  gas?: bigint;
}

/** Parameters of {@link TxSender.writeContract}: typed over a const ABI like viem's own. */
export type WriteContractParams<
  abi extends Abi | readonly unknown[] = Abi,
  functionName extends ContractFunctionName<abi, WriteMutability> = ContractFunctionName<abi, WriteMutability>,
  args extends ContractFunctionArgs<abi, WriteMutability, functionName> = ContractFunctionArgs<
    abi,
    WriteMutability,
    functionName
  >,
> = ContractFunctionParameters<abi, WriteMutability, functionName, args> & TxOptions;

/** Parameters of {@link TxSender.deployContract}: ABI, bytecode and typed constructor args. */
export type DeployContractParams<abi extends Abi | readonly unknown[] = Abi> = EncodeDeployDataParameters<abi> &
  TxOptions;

/** Parameters of {@link TxSender.sendTransaction}: a plain transaction (value transfer or raw calldata). */
export interface SendTransactionParams extends TxOptions {
  to: Address;
  data?: Hex;
}

/**
 * Serializes the node's own transactions (one nonce sequence), signs locally with viem, sends raw, waits for the
 * receipt, then `endpoint.recordConfirmed` before returning.
 */
export interface TxSender {
  /** Address of the sending account. */
  readonly address: Address;
  /**
   * Calls a contract function. Simulates first (gas estimation with the ABI),
   * so a revert throws viem's `ContractFunctionExecutionError` whose cause is a
   * `ContractFunctionRevertedError` with the decoded custom error name and
   * args, and nothing is sent. Returns the receipt once it is mined and
   * durably recorded; the receipt's `status` can still be `reverted` if state
   * changed between simulation and mining (another account's transaction).
   */
  writeContract<
    const abi extends Abi | readonly unknown[],
    functionName extends ContractFunctionName<abi, WriteMutability>,
    args extends ContractFunctionArgs<abi, WriteMutability, functionName>,
  >(
    params: WriteContractParams<abi, functionName, args>,
  ): Promise<TransactionReceipt>;
  /**
   * Deploys bytecode with constructor args; a constructor revert found by the
   * simulation throws viem's decoded error (as for writeContract); a deployment
   * that reverts on chain throws `ContractReverted`. Returns address + receipt.
   */
  deployContract<const abi extends Abi | readonly unknown[]>(
    params: DeployContractParams<abi>,
  ): Promise<{ address: Address; receipt: TransactionReceipt }>;
  /** Sends a plain transaction (value transfer, or prepared calldata); simulated by gas estimation first. */
  sendTransaction(params: SendTransactionParams): Promise<TransactionReceipt>;
}

/** Options of {@link createTxSender}. */
export interface TxSenderOptions {
  /** Which of `endpoint.operatorKeys` to send with (default 0). Use one sender per key. */
  keyIndex?: number;
  /** How long to wait for a receipt before giving up, ms (default 120 s). */
  receiptTimeoutMs?: number;
}

interface TxRequest {
  to?: Address;
  data?: Hex;
  value?: bigint;
}

type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

const withMargin = (gas: bigint): bigint => gas + gas / 10n;

/** How long fee estimates are reused, ms. */
const FEE_TTL_MS = 2_000;

function errorText(error: unknown): string {
  return error instanceof BaseError
    ? `${error.shortMessage} ${error.details}`
    : error instanceof Error
      ? error.message
      : "";
}

/** A send refused for its nonce or its fee: worth one retry with fresh values. */
function isRetryable(error: unknown): boolean {
  return /nonce|fee|underpriced/i.test(errorText(error));
}

class Sender implements TxSender {
  readonly address: Address;
  private readonly account: PrivateKeyAccount;
  private nonce: number | undefined;
  private readonly queue = new SerialQueue();
  private legacyFees = false;
  private feeCache: { fees: Fees; at: number } | undefined;

  constructor(
    private readonly endpoint: ChainEndpoint,
    private readonly client: PublicClient,
    key: Hex,
    private readonly receiptTimeoutMs: number,
  ) {
    this.account = privateKeyToAccount(key);
    this.address = this.account.address;
  }

  /** Runs `fn` after every earlier task of this object has finished. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  writeContract<
    const abi extends Abi | readonly unknown[],
    functionName extends ContractFunctionName<abi, WriteMutability>,
    args extends ContractFunctionArgs<abi, WriteMutability, functionName>,
  >(params: WriteContractParams<abi, functionName, args>): Promise<TransactionReceipt> {
    // Past the typed boundary, work with viem's wide types.
    const p = params as unknown as {
      abi: Abi;
      address: Address;
      functionName: string;
      args?: readonly unknown[];
      value?: bigint;
      gas?: bigint;
    };
    const data = encodeFunctionData({ abi: p.abi, functionName: p.functionName, args: p.args ?? [] });
    const value = p.value === undefined ? {} : { value: p.value };
    return this.serialize(() =>
      this.submit({ to: p.address, data, ...value }, async () => {
        // Gas estimation executes the call: a revert surfaces here, decoded against the ABI, before anything is signed.
        const estimate = await this.client.estimateContractGas({
          abi: p.abi,
          address: p.address,
          functionName: p.functionName,
          args: p.args ?? [],
          account: this.address,
          ...value,
        });
        return p.gas ?? withMargin(estimate);
      }),
    );
  }

  deployContract<const abi extends Abi | readonly unknown[]>(
    params: DeployContractParams<abi>,
  ): Promise<{ address: Address; receipt: TransactionReceipt }> {
    const p = params as unknown as { abi: Abi; bytecode: Hex; args?: readonly unknown[]; value?: bigint; gas?: bigint };
    const data = encodeDeployData({ abi: p.abi, bytecode: p.bytecode, args: p.args ?? [] });
    const value = p.value === undefined ? {} : { value: p.value };
    return this.serialize(async () => {
      const receipt = await this.submit({ data, ...value }, async () => {
        try {
          const estimate = await this.client.estimateGas({ account: this.address, data, ...value });
          return p.gas ?? withMargin(estimate);
        } catch (error) {
          throw error instanceof BaseError
            ? getContractError(error, { abi: p.abi, args: p.args, functionName: "constructor", sender: this.address })
            : error;
        }
      });
      if (receipt.status !== "success" || receipt.contractAddress === null || receipt.contractAddress === undefined) {
        throw new MedchainError("ContractReverted", "the contract " + "deployment reverted", {
          details: { txHash: receipt.transactionHash },
        });
      }
      return { address: receipt.contractAddress, receipt };
    });
  }

  sendTransaction(params: SendTransactionParams): Promise<TransactionReceipt> {
    const base = {
      to: params.to,
      ...(params.data === undefined ? {} : { data: params.data }),
      ...(params.value === undefined ? {} : { value: params.value }),
    };
    return this.serialize(() =>
      this.submit(base, async () => {
        const estimate = await this.client.estimateGas({ account: this.address, ...base });
        return params.gas ?? withMargin(estimate);
      }),
    );
  }

  /**
   * Fee fields: EIP-1559 with maxFeePerGas = 2 x base fee + tip (the usual
   * wallet rule: room for six full blocks of base-fee growth), or legacy gas
   * price on chains without a base fee. Cached for {@link FEE_TTL_MS}, and
   * dropped when a send is refused for its fee.
   */
  private async fees(): Promise<Fees> {
    if (this.feeCache !== undefined && Date.now() - this.feeCache.at < FEE_TTL_MS) return this.feeCache.fees;
    let fees: Fees | undefined;
    if (!this.legacyFees) {
      const block = await this.client.getBlock({ blockTag: "latest" });
      if (block.baseFeePerGas === null || block.baseFeePerGas === undefined) {
        this.legacyFees = true; // a chain without base fee (e.g. a free-gas consortium network)
      } else {
        let tip: bigint;
        try {
          tip = await this.client.estimateMaxPriorityFeePerGas({ chain: this.client.chain ?? null });
        } catch (error) {
          if (!(error instanceof Eip1559FeesNotSupportedError)) throw error;
          tip = 0n;
        }
        fees = { maxFeePerGas: block.baseFeePerGas * 2n + tip, maxPriorityFeePerGas: tip };
      }
    }
    fees ??= { gasPrice: await this.client.getGasPrice() };
    this.feeCache = { fees, at: Date.now() };
    return fees;
  }

  /**
   * Simulates (`gas()`, which estimates gas and throws on revert) while fees
   * and nonce are fetched, signs, sends, waits for the receipt and records it
   * durably. Runs serialized.
   */
  private async submit(tx: TxRequest, gas: () => Promise<bigint>): Promise<TransactionReceipt> {
    let raw: Hex;
    let hash: Hex;
    let nonce: number;
    for (let attempt = 0; ; attempt++) {
      const [gasLimit, fees, n] = await Promise.all([
        gas(),
        this.fees(),
        this.nonce ?? this.client.getTransactionCount({ address: this.address, blockTag: "pending" }),
      ]);
      nonce = n;
      raw = await this.account.signTransaction({
        chainId: this.endpoint.chainId,
        nonce,
        ...tx,
        gas: gasLimit,
        ...fees,
      });
      try {
        hash = await this.client.sendRawTransaction({ serializedTransaction: raw });
        break;
      } catch (error) {
        // The nonce may be wrong now (another user of the key, a send that got through after all): ask the chain again.
        this.nonce = undefined;
        this.feeCache = undefined;
        if (attempt === 0 && isRetryable(error)) continue;
        throw error;
      }
    }
    this.nonce = nonce + 1;
    let receipt: TransactionReceipt;
    try {
      receipt = await this.receipt(hash);
    } catch (error) {
      this.nonce = undefined;
      throw new MedchainError("ChainUnavailable", "a sent transaction was " + "not confirmed in time", {
        details: { txHash: hash },
        cause: error,
      });
    }
    await this.endpoint.recordConfirmed({ raw, hash, blockNumber: receipt.blockNumber });
    return receipt;
  }

  /** Polls for the receipt: at once, then backing off from 1 ms up to the client's polling interval (at most 1 s). */
  private async receipt(hash: Hex): Promise<TransactionReceipt> {
    const deadline = Date.now() + this.receiptTimeoutMs;
    const maxDelay = Math.max(10, Math.min(this.client.pollingInterval, 1000));
    for (let delay = 1; ; delay = Math.min(delay * 2, maxDelay)) {
      try {
        return await this.client.getTransactionReceipt({ hash });
      } catch (error) {
        if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
      }
      if (Date.now() > deadline)
        throw new MedchainError("ChainUnavailable", "no receipt in time", {
          details: { txHash: hash, timeoutMs: this.receiptTimeoutMs },
        });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Creates the sender for one of the endpoint's operator keys. Use a single
 * sender per key in a process: two senders on one key race for nonces.
 */
export function createTxSender(
  endpoint: ChainEndpoint,
  publicClient: PublicClient,
  options: TxSenderOptions = {},
): TxSender {
  const index = options.keyIndex ?? 0;
  const key = endpoint.operatorKeys[index];
  if (key === undefined)
    throw new MedchainError("ChainUnavailable", "the chain endpoint has no " + "operator key at that index", {
      details: { keyIndex: index },
    });
  return new Sender(endpoint, publicClient, key, options.receiptTimeoutMs ?? 120_000);
}

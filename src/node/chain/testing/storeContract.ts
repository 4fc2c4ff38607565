/**
 * A tiny storage contract for the chain module's tests, compiled once with
 * solc 0.8.37 (optimizer 200 runs, evmVersion cancun) and inlined here:
 *
 *   // SPDX-License-Identifier: Apache-2.0
 *   pragma solidity ^0.8.24;
 *
 *   contract Store {
 *       error TooBig(uint256 value, uint256 max);
 *       event Stored(address indexed by, uint256 value);
 *
 *       uint256 public value;
 *
 *       constructor(uint256 initial) {
 *           if (initial > 1000) revert TooBig(initial, 1000);
 *           value = initial;
 *       }
 *
 *       function set(uint256 v) external {
 *           if (v > 1000) revert TooBig(v, 1000);
 *           value = v;
 *           emit Stored(msg.sender, v);
 *       }
 *   }
 */

/** ABI of `Store`. */
export const storeAbi = [
  {
    inputs: [
      {
        internalType: "uint256",
        name: "initial",
        type: "uint256",
      },
    ],
    stateMutability: "nonpayable",
    type: "constructor",
  },
  {
    inputs: [
      {
        internalType: "uint256",
        name: "value",
        type: "uint256",
      },
      {
        internalType: "uint256",
        name: "max",
        type: "uint256",
      },
    ],
    name: "TooBig",
    type: "error",
  },
  {
    anonymous: false,
    inputs: [
      {
        indexed: true,
        internalType: "address",
        name: "by",
        type: "address",
      },
      {
        indexed: false,
        internalType: "uint256",
        name: "value",
        type: "uint256",
      },
    ],
    name: "Stored",
    type: "event",
  },
  {
    inputs: [
      {
        internalType: "uint256",
        name: "v",
        type: "uint256",
      },
    ],
    name: "set",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [],
    name: "value",
    outputs: [
      {
        internalType: "uint256",
        name: "",
        type: "uint256",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
] as const;

/** Creation bytecode of `Store`. */
export const storeBytecode =
  ("0x6080604052348015600e575f5ffd5b5060405161019c38038061019c833981016040819052602b916062565b6103e8811115605c57604051631ab6" +
    "737f60e21b8152600481018290526103e8602482015260440160405180910390fd5b5f556078565b5f602082840312156071575f" +
    "5ffd5b5051919050" +
    "565b610117806100855f395ff3fe6080604052348015600e575f5ffd5b50600436106030575f3560e01c80633fa4f24514603457" +
    "806360fe47b11460" +
    "4d575b5f5ffd5b603b5f5481565b60405190815260200160405180910390f35b605c605836600460cb565b605e565b005b6103e8" +
    "811115608f576040" +
    "51631ab6737f60e21b8152600481018290526103e8602482015260440160405180910390fd5b5f81905560405181815233907feb" +
    "fcf7c0a1b09f6499" +
    "e519a8d8bb85ce33cd539ec6cbd964e116cd74943ead1a9060200160405180910390a250565b5f6020828403121560da575f5ffd" +
    "5b503591905056fe" +
    "a26469706673582212206ad3b7ec94cd90eb0b73c872f442d4e9a87a206a2d65b445a572a1956117f29f64736f6c634300082500" +
    "33") as `0x${string}`;

import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";

/** Hardhat must not download solc (offline machines): use the wasm bundle of the npm `solc` package. */
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");
const compiler = {
  version: "0.8.37",
  path: solcPath,
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
};

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    sources: "./contracts",
    // Solidity tests (unit, fuzz, invariant) live beside their slice under test/contracts/<slice>/.
    tests: { solidity: "./test/contracts", nodejs: "./test/contracts" },
  },
  test: {
    solidity: {
      profiles: {
        // `npx hardhat test solidity`: about 20 s. The fuzz seed is Hardhat's fixed default, so runs are reproducible.
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 128, depth: 64 },
        },
        // `npx hardhat test solidity --test-profile deep`: a longer campaign before a release.
        deep: {
          fuzz: { runs: 5_000 },
          invariant: { runs: 512, depth: 128 },
        },
      },
    },
  },
});

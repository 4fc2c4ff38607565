// Lint rules: typescript-eslint recommended, no `any`, and the isomorphic SDK must not reach for Node-only modules.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "artifacts/**", "cache/**", ".tools/**", "web/dist/**", "src/chain/generated/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The isomorphic SDK (shared by the CLI and the web portal): no Node-only imports outside tests.
    files: ["src/**/sdk/**/*.ts", "src/sdk/**/*.ts", "src/core/**/*.ts", "src/records/crypto/**/*.ts", "src/**/*.schemas.ts", "src/relay/forwardRequest.ts", "src/node/blobstore/blobStore.ts", "src/node/blobstore/memoryBlobStore.ts"],
    ignores: ["**/*.test.ts", "**/*.behaviour.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "fs", "path", "pg", "@electric-sql/*", "fastify*"], message: "The SDK is isomorphic (CLI and browser): no Node-only imports." }] }],
    },
  },
);

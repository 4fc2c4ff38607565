// Lint rules: typescript-eslint recommended, no `any`, the isomorphic SDK must not reach for Node-only modules,
// and the web portal (web/src) follows the React hooks rules and stays browser-only.
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["node_modules/**", "artifacts/**", "cache/**", ".tools/**", "web/dist/**", "web/.dist-*/**", "src/chain/generated/**", "test-artifacts/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Browser-safe by folder: the kernel and every slice's sdk/ (shared by the CLI and the web portal) reach for no
    // Node-only module and no server code (the architecture check, scripts/check-architecture.ts, enforces it too).
    files: ["src/kernel/**/*.ts", "src/*/sdk/**/*.ts", "src/sdk/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.behaviour.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{
        group: ["node:*", "fs", "path", "pg", "@electric-sql/*", "fastify*", "**/node/**", "**/cli/**", "**/*.routes.ts", "**/*.service.ts", "**/*.indexer.ts"],
        message: "Browser-safe code (src/kernel, src/*/sdk): no Node-only imports and no server code.",
      }] }],
    },
  },
  {
    // The web portal: React hooks rules; browser code only (it shares the SDK with the CLI, never Node modules).
    files: ["web/src/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["web/src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "fs", "path", "pg", "@electric-sql/*", "fastify*", "**/src/node/**", "**/src/cli/**"], message: "The web portal runs in the browser: use the isomorphic SDK (src/sdk, src/*/sdk), never Node-only or node-side modules." }] }],
      // tsconfig gives every file Node's types; in the browser these globals do not exist
      "no-restricted-globals": ["error", "Buffer", "process", "require", "__dirname", "__filename", "global"],
    },
  },
);

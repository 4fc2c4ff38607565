/**
 * Vite build of the medchain web portal. The app imports the same isomorphic
 * client SDK as the CLI straight from `../src` (TypeScript, WebCrypto, viem),
 * so there is one implementation of encryption, decryption and signing.
 * Built into web/dist by `npm install` / `medchain start` (src/node/web/webBuild.ts);
 * `npx vite web` serves it for development, proxying the API to a node on :8420.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));
const node = process.env.MEDCHAIN_NODE ?? "http://127.0.0.1:8420";
const api = ["/health", "/network", "/contracts", "/accounts", "/records", "/relay", "/blobs", "/consent", "/fhir", "/audit", "/supply", "/keepers", "/openapi.json"];

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2023",
    sourcemap: false,
    // the barcode reader (WebAssembly) and the chart library load on the pages that use them
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // @hpke/common falls back to `await import("crypto")` only where globalThis.crypto is missing (old Node);
        // browsers always have WebCrypto, so that branch is dead here and Vite's stub for it is never reached.
        if (warning.message.includes('Module "crypto" has been externalized') && warning.message.includes("@hpke/common")) return;
        warn(warning);
      },
    },
  },
  server: { proxy: Object.fromEntries(api.map((p) => [p, node])) },
});

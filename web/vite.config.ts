/**
 * Vite build of the medchain web portal. The app imports the same isomorphic
 * client SDK as the CLI straight from `../src` (TypeScript, WebCrypto, viem),
 * so there is one implementation of encryption, decryption and signing.
 * Built into web/dist by `npm install` / `medchain start` (src/node/web/webBuild.ts);
 * `npx vite web` serves it for development, proxying the API to a node on :8420: every request that is
 * neither Vite's own (`/@...`, `/src/...`, `/node_modules/...`) nor a page navigation goes to the node, so
 * the proxy follows whatever routes the node's slices serve and names none of them.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = fileURLToPath(new URL(".", import.meta.url));
const node = process.env.MEDCHAIN_NODE ?? "http://127.0.0.1:8420";
/** Paths the dev server answers itself: its client and modules, the app's sources, dependencies, static files. */
const VITE_OWN = "^/(?!@|src/|node_modules/|favicon\\.svg$|index\\.html$|$)";

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
        if (
          warning.message.includes('Module "crypto" has been externalized') &&
          warning.message.includes("@hpke/common")
        )
          return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      [VITE_OWN]: {
        target: node,
        // a page navigation (the app's own routes, e.g. /patient) gets the app; API calls go to the node
        bypass: (req) => (req.headers.accept?.includes("text/html") === true ? "/index.html" : undefined),
      },
    },
  },
});

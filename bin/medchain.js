#!/usr/bin/env node
// Entry point of the medchain CLI (and of `npm start`): runs the TypeScript sources through tsx.
import { register } from "tsx/esm/api";

// The node does many small durable writes (fsync per blob); let more of them overlap.
process.env.UV_THREADPOOL_SIZE ??= "16";
register();
await import("../src/cli/main.ts");

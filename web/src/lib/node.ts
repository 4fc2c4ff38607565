/** The node this page was served by: one SDK client for the whole app (same origin, no CORS). */
import { NodeClient } from "../../../src/sdk/nodeClient.ts";

/** The client of the serving node. */
export const node = new NodeClient(window.location.origin);

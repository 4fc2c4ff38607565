/**
 * The web portal, served by the node at `/` (the API keeps its own paths).
 * Files come from `web/dist` (hashed assets cached for a year, gzip/brotli
 * copies served when the browser accepts them); a browser navigation to any
 * other path that no API route answers (`/patient`, `/medicine`, ...) gets
 * the app's `index.html` so client-side routes survive a reload, while API
 * clients keep getting problem+json 404s. Without a build, `/` explains how
 * to make one instead of failing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { WEB_DIST } from "./webBuild.ts";

/** Content-Security-Policy of the portal: own scripts only (plus WebAssembly for the barcode reader), no framing. */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  // keepers of the cluster profile may live on other hosts
  "connect-src 'self' http: https:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>medchain</title></head>
<body><main><h1>medchain node</h1><p>The web portal is not built. Run <code>npm install</code> (or <code>npm run build:web</code>) and restart the node.</p>
<p>The API is up: <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a>.</p></main></body></html>`;

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
}

/**
 * The portal: a plugin serving `dist`, and a not-found hook that answers browser navigations with the app (null when
 * not one).
 */
export interface WebPortal {
  plugin: FastifyPluginAsync;
  notFound: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | null;
}

function security(reply: FastifyReply): void {
  reply.header("x-content-type-options", "nosniff");
  reply.header("referrer-policy", "no-referrer");
}

/** The portal served from `dist` (default web/dist); without a build, `/` explains how to make one. */
export function webPortal(dist = WEB_DIST): WebPortal {
  const index = join(dist, "index.html");
  if (!existsSync(index)) {
    return {
      plugin: async (app) => {
        app.get("/", { schema: { hide: true } }, async (_req, reply) => {
          security(reply);
          return reply.type("text/html; charset=utf-8").send(NOT_BUILT);
        });
      },
      notFound: () => null,
    };
  }
  return {
    plugin: async (app) => {
      await app.register(fastifyStatic, {
        root: dist,
        prefix: "/",
        wildcard: true,
        index: ["index.html"],
        preCompressed: true,
        schemaHide: true,
        setHeaders: (reply, path) => {
          security(reply);
          if (path.endsWith(".html")) {
            reply.header("cache-control", "no-cache");
            reply.header("content-security-policy", PORTAL_CSP);
          } else if (path.includes("/assets/")) {
            reply.header("cache-control", "public, max-age=31536000, immutable");
          }
        },
      });
    },
    notFound: (req, reply) => {
      if (!wantsHtml(req) || /\.[a-z0-9]+$/i.test(req.url.split("?")[0] ?? "")) return null;
      security(reply);
      reply.header("cache-control", "no-cache");
      reply.header("content-security-policy", PORTAL_CSP);
      // read per request: a rebuild replaces the file
      return reply.status(200).type("text/html; charset=utf-8").send(readFileSync(index));
    },
  };
}

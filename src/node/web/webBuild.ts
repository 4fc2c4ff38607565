/**
 * The web portal's build, kept fresh without extra steps: `npm install`
 * (the `prepare` script) and `medchain start` both call {@link ensureWebBuild},
 * which rebuilds `web/dist` with Vite only when its inputs changed. The
 * inputs are hashed by content (web/ without dist, src/ without tests, the
 * lockfile), so a fresh clone, a `git pull` or an edit all rebuild, and an
 * unchanged tree costs one hash (tens of milliseconds). Concurrent callers
 * (parallel test files, a node starting while `npm install` runs) serialize
 * on a lock file; the build goes to a temporary directory that replaces
 * `web/dist` by rename, so a reader never sees half a build.
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { MedchainError } from "../../kernel/errors.ts";

/** Repository root (this file is src/node/web/webBuild.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
/** The web app's sources. */
export const WEB_DIR = join(REPO_ROOT, "web");
/** Where the built portal lives (served by the node at `/`). */
export const WEB_DIST = join(WEB_DIR, "dist");
const STAMP = ".medchain-build.json";
const LOCK = join(WEB_DIR, ".build.lock");

/** What a build left in `web/dist/.medchain-build.json`. */
export interface WebBuildStamp {
  /** Content hash of the inputs the build was made from. */
  inputHash: string;
  builtAt: string;
}

function listFiles(dir: string, skip: (rel: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    const rel = relative(REPO_ROOT, full);
    if (skip(rel)) continue;
    if (e.isDirectory()) listFiles(full, skip, out);
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Content hash of every input of the web build. */
export function webInputHash(): string {
  const skip = (rel: string): boolean =>
    /(^|\/)(dist|node_modules|\.[^/]*)$/.test(rel) ||
    /^web\/dist(\/|$)/.test(rel) ||
    /(\.test|\.behaviour)\.ts$/.test(rel);
  const files = [
    ...listFiles(WEB_DIR, skip),
    ...listFiles(join(REPO_ROOT, "src"), skip),
    join(REPO_ROOT, "package-lock.json"),
  ]
    .filter((f) => existsSync(f))
    .sort();
  const h = createHash("sha256");
  for (const f of files) {
    h.update(relative(REPO_ROOT, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  return h.digest("hex");
}

/** The stamp of the current build, or null when there is none. */
export function readWebStamp(dist = WEB_DIST): WebBuildStamp | null {
  try {
    return JSON.parse(readFileSync(join(dist, STAMP), "utf8")) as WebBuildStamp;
  } catch {
    return null;
  }
}

/** True when `web/dist` holds a build of the current inputs. */
export function webBuildIsFresh(): boolean {
  const stamp = readWebStamp();
  return stamp !== null && existsSync(join(WEB_DIST, "index.html")) && stamp.inputHash === webInputHash();
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(WEB_DIR, { recursive: true });
  for (;;) {
    try {
      const fd = openSync(LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(readFileSync(LOCK, "utf8").trim() || "0");
      const age = Date.now() - statSync(LOCK).mtimeMs;
      // A lock left by a dead process (or an empty one older than a minute) is stale.
      if ((holder > 0 && !pidAlive(holder)) || (holder === 0 && age > 60_000)) rmSync(LOCK, { force: true });
      else await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

const COMPRESSIBLE = /\.(js|css|html|svg|wasm|json)$/;

/** Writes `.gz` and `.br` next to every compressible file (the node serves them to browsers that accept them). */
function precompress(dir: string): void {
  for (const f of listFiles(dir, () => false)) {
    if (!COMPRESSIBLE.test(f)) continue;
    const raw = readFileSync(f);
    if (raw.length < 1024) continue;
    writeFileSync(`${f}.gz`, gzipSync(raw, { level: 9 }));
    writeFileSync(
      `${f}.br`,
      brotliCompressSync(raw, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }),
    );
  }
}

/** What {@link ensureWebBuild} did. */
export interface EnsureWebBuildResult {
  /** `fresh`: the existing build matched; `built`: rebuilt now. */
  status: "fresh" | "built";
  ms: number;
}

/**
 * Builds the portal into `web/dist` unless the current build matches the
 * inputs. Throws `Internal` (with the Vite error as cause) when the build fails.
 */
export async function ensureWebBuild(
  options: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<EnsureWebBuildResult> {
  const started = Date.now();
  if (options.force !== true && webBuildIsFresh()) return { status: "fresh", ms: Date.now() - started };
  return withLock(async () => {
    const hash = webInputHash();
    const stamp = readWebStamp();
    if (options.force !== true && stamp?.inputHash === hash && existsSync(join(WEB_DIST, "index.html"))) {
      return { status: "fresh", ms: Date.now() - started }; // another process built it while we waited
    }
    options.log?.("building the web portal (web/ -> web/dist)...");
    const tmp = join(WEB_DIR, `.dist-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      const { build } = await import("vite");
      await build({
        configFile: join(WEB_DIR, "vite.config.ts"),
        logLevel: "warn",
        build: { outDir: tmp, emptyOutDir: true },
      });
    } catch (cause) {
      rmSync(tmp, { recursive: true, force: true });
      throw new MedchainError("Internal", "the web portal failed to build (see the cause)", { cause });
    }
    precompress(tmp);
    const stampBody: WebBuildStamp = { inputHash: hash, builtAt: new Date().toISOString() };
    const fd = openSync(join(tmp, STAMP), "w");
    writeSync(fd, `${JSON.stringify(stampBody)}\n`);
    closeSync(fd);
    const old = join(WEB_DIR, `.dist-old-${process.pid}`);
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(tmp, WEB_DIST);
    rmSync(old, { recursive: true, force: true });
    return { status: "built", ms: Date.now() - started };
  });
}

/**
 * Test support for the web portal: Debian's chromium driven by playwright-core
 * (never a downloaded browser; see TOOLCHAIN.md), a fresh portal build, and
 * per-page guards that collect console errors, page errors and every request
 * body the page sends.
 *
 * Chromium is found at `$MEDCHAIN_CHROMIUM`, else `/usr/bin/chromium`
 * (`.ci/chromium.sh` installs it). When it is missing the browser tests skip,
 * unless `MEDCHAIN_TEST_BROWSER_REQUIRED=1` (CI), where they fail instead.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { ensureWebBuild } from "../../src/node/web/webBuild.ts";

/** Flags that make Debian's chromium start fast and quietly in a container (TOOLCHAIN.md). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // a fake camera, so the scanning UI can be exercised without hardware
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
];

/** Where screenshots and other browser artifacts go (gitignored). */
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts/web");

/** Desktop and phone viewports of the screenshots. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Where chromium is looked for, in order. */
export function chromiumCandidates(): string[] {
  return [process.env.MEDCHAIN_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (c): c is string => c !== undefined && c !== "",
  );
}

/** The chromium binary, or undefined. */
export function chromiumPath(candidates = chromiumCandidates()): string | undefined {
  return candidates.find((c) => existsSync(c));
}

/**
 * Why the browser tests cannot run here (to pass to `t.skip`), or undefined when they can.
 * Fails (throws) instead when `MEDCHAIN_TEST_BROWSER_REQUIRED=1`.
 */
export function browserUnavailable(candidates = chromiumCandidates()): string | undefined {
  if (chromiumPath(candidates) !== undefined) return undefined;
  const reason = "chromium is not installed (bash .ci/chromium.sh, or apt-get install -y chromium)";
  if (process.env.MEDCHAIN_TEST_BROWSER_REQUIRED === "1") assert.fail(`MEDCHAIN_TEST_BROWSER_REQUIRED=1 but ${reason}`);
  return reason;
}

/**
 * Launches chromium (headless) after making sure the portal build is fresh; `extraArgs` e.g. a video file for the fake
 * camera.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  await ensureWebBuild();
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error("chromium is not installed");
  return chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS, ...extraArgs], headless: true });
}

/** A page with everything it logged and sent. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /**
   * console.error messages and uncaught page errors (not the browser's own "Failed to load resource" lines: see
   * `failed`).
   */
  errors: string[];
  /** Responses with an HTTP error status (Chromium also logs each as a console error "Failed to load resource"). */
  failed: Array<{ status: number; method: string; url: string }>;
  /** Every request the page made: method, URL and body (as text, `null` when none). */
  requests: Array<{ method: string; url: string; body: string | null }>;
}

function bodyOf(req: Request): string | null {
  const buf = req.postDataBuffer();
  return buf === null ? null : buf.toString("latin1");
}

/**
 * Opens a new context (own storage: own keystore) and page on `baseUrl`, watching console errors and request bodies.
 */
export async function watchedPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? VIEWPORTS.desktop,
    acceptDownloads: options.acceptDownloads ?? true,
  });
  // generous: the machine may be busy with other test files (never a timing assertion, only a ceiling)
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: WatchedPage["failed"] = [];
  const requests: WatchedPage["requests"] = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // the browser's network log line for an HTTP error status; the response itself is recorded in `failed`
    if (/^Failed to load resource: the server responded with a status of \d+/.test(m.text())) return;
    errors.push(`console.error: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push({ status: r.status(), method: r.request().method(), url: r.url() });
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push({ method: r.method(), url: r.url(), body: bodyOf(r) }));
  return { page, context, errors, failed, requests };
}

/** Saves a full-page screenshot as `test-artifacts/web/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails on any serious or critical violation, naming them. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const r = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} @ ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    ),
    [],
    `accessibility of ${label}`,
  );
}

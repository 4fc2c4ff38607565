/**
 * The browser tests skip without chromium, but fail when CI requires it (MEDCHAIN_TEST_BROWSER_REQUIRED=1), like the
 * PostgreSQL suite.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { browserUnavailable } from "../support/browser.ts";

describe("browser test support", () => {
  it("no chromium: a skip reason, or a failure when required", () => {
    const saved = process.env.MEDCHAIN_TEST_BROWSER_REQUIRED;
    try {
      delete process.env.MEDCHAIN_TEST_BROWSER_REQUIRED;
      assert.match(browserUnavailable(["/nonexistent/chromium"]) ?? "", /chromium is not installed/);
      process.env.MEDCHAIN_TEST_BROWSER_REQUIRED = "1";
      assert.throws(
        () => browserUnavailable(["/nonexistent/chromium"]),
        /MEDCHAIN_TEST_BROWSER_REQUIRED=1 but chromium is not installed/,
      );
    } finally {
      if (saved === undefined) delete process.env.MEDCHAIN_TEST_BROWSER_REQUIRED;
      else process.env.MEDCHAIN_TEST_BROWSER_REQUIRED = saved;
    }
  });
});

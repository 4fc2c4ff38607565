/**
 * What one on-chain grant says, before the chain gives it an id: the grantee,
 * the coarse categories and purposes it covers, and its validity window.
 * Grants only permit; the absence of a grant is a deny.
 */
import { z } from "zod";
import { MedchainError } from "../../kernel/errors.ts";
import { zAddress } from "../../kernel/schemas.ts";
import { CATEGORY, categoriesOfMask, categoryMask, type CategoryName } from "../../kernel/categories.ts";
import { PURPOSE_CODES, sortPurposes, type PurposeCode } from "../../kernel/purposes.ts";

/** One grant as medchain writes it on chain (times in unix seconds). */
export interface GrantSpec {
  /** Address the grant is for. */
  grantee: `0x${string}`;
  /** Coarse categories covered (see `categories.ts`), non-empty, in bit order. */
  categories: CategoryName[];
  /** Purposes of use covered, non-empty, in bit order. */
  purposes: PurposeCode[];
  /** First second the grant is valid (inclusive). */
  notBefore: number;
  /** First second the grant is no longer valid (exclusive); after `notBefore`. */
  expiresAt: number;
}

const CATEGORY_NAMES = Object.keys(CATEGORY) as [CategoryName, ...CategoryName[]];
const PURPOSE_NAMES = [...PURPOSE_CODES] as [PurposeCode, ...PurposeCode[]];

function noDuplicates(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

/** Zod schema of a {@link GrantSpec} (no transforms: renders to JSON Schema; the checks below are refinements). */
export const zGrantSpec = z
  .object({
    grantee: zAddress,
    categories: z.array(z.enum(CATEGORY_NAMES)).min(1, "a grant covers at least one category"),
    purposes: z.array(z.enum(PURPOSE_NAMES)).min(1, "a grant covers at least one purpose"),
    notBefore: z.number().int().nonnegative(),
    expiresAt: z.number().int().positive(),
  })
  .superRefine((g, ctx) => {
    if (!noDuplicates(g.categories))
      ctx.addIssue({ code: "custom", path: ["categories"], message: "categories repeat" });
    if (!noDuplicates(g.purposes)) ctx.addIssue({ code: "custom", path: ["purposes"], message: "purposes repeat" });
    if (g.notBefore >= g.expiresAt)
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "expiresAt must be " + "after notBefore" });
  });

/**
 * Checks that `value` is a valid grant and returns it normalized (categories
 * and purposes in bit order). Throws `InvalidInput` naming the first bad
 * field in `details.path` (never its value: addresses are pseudonymous but
 * the rule is the same everywhere).
 */
export function validateGrantSpec(value: unknown): GrantSpec {
  const r = zGrantSpec.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue === undefined ? "" : issue.path.map(String).join(".");
    throw new MedchainError(
      "InvalidInput",
      `invalid grant: ${path === "" ? "" : `${path}: `}${issue?.message ?? "malformed"}`,
      {
        details: { path },
      },
    );
  }
  return normalizeGrantSpec(r.data);
}

/** The same grant with categories and purposes sorted into bit order and deduplicated. */
export function normalizeGrantSpec(g: GrantSpec): GrantSpec {
  return {
    grantee: g.grantee,
    categories: categoriesOfMask(categoryMask(g.categories)),
    purposes: sortPurposes(g.purposes),
    notBefore: g.notBefore,
    expiresAt: g.expiresAt,
  };
}

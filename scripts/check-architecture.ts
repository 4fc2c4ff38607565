/**
 * The architecture check (run by `npm test`): the shape of `src/` that
 * docs/architecture/adding-a-slice.md describes, enforced.
 *
 *   node --import tsx scripts/check-architecture.ts [--root DIR]
 *
 * Rules, over every import of every `.ts`/`.tsx` file under `src/` (type-only imports included, tests excluded):
 * - no import cycle between files (value imports), and none between slices (any import);
 * - the kernel (`src/kernel/`) imports no slice, nor the node, the CLI or the generated contract bindings;
 * - a slice imports another slice only through its public SDK (`src/<other>/sdk/`) or its module;
 * - the node (`src/node/`) and the CLI root (`src/cli/`) import no slice: only `src/modules.ts` lists them;
 * - the browser-safe code (the kernel and every `sdk/` folder) imports no Node built-in and no server folder;
 * - a file that uses a slice's error code imports that slice's `sdk/errors.ts` (which registers the code's HTTP
 *   status at run time), so the status is right wherever the code is thrown, tests included.
 * Written by hand: dependency-cruiser or madge would do the graph, but each rule here is a few lines over a
 * graph that one regex builds, and neither tool is installed.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One broken rule. */
export interface Violation {
  rule: string;
  file: string;
  detail: string;
}

/** Folders of `src/` that are not slices. */
const PLATFORM = new Set(["kernel", "node", "cli", "chain", "sdk"]);
const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** The checked files of a tree and their relative imports (`typeOnly` when erased at run time). */
function graph(src: string): Map<string, Array<{ target: string; typeOnly: boolean }>> {
  const g = new Map<string, Array<{ target: string; typeOnly: boolean }>>();
  const files = walk(src).filter(
    (f) => !/\.(test|behaviour)\.tsx?$/.test(f) && !f.includes(`${join("chain", "generated")}`),
  );
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const edges: Array<{ target: string; typeOnly: boolean }> = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? "";
      const typeOnly = m[2] !== undefined;
      if (spec.startsWith(".")) edges.push({ target: resolve(dirname(file), spec), typeOnly });
      else edges.push({ target: spec, typeOnly });
    }
    g.set(file, edges);
  }
  return g;
}

/** `kernel`, `node`, a slice name, ... for a file under `src/`; `modules` for src/modules.ts. */
function areaOf(src: string, file: string): string {
  const rel = relative(src, file).split(/[\\/]/);
  return rel.length === 1 ? "modules" : (rel[0] ?? "");
}

function isBrowserSafe(src: string, file: string): boolean {
  const rel = relative(src, file).split(/[\\/]/);
  return rel[0] === "kernel" || (rel.length > 2 && rel[1] === "sdk");
}

/** Finds cycles among `nodes` following `next`; returns each as a list of nodes. */
function cycles<T>(nodes: Iterable<T>, next: (n: T) => Iterable<T>): T[][] {
  const found: T[][] = [];
  const state = new Map<T, 1 | 2>();
  const stack: T[] = [];
  const visit = (n: T): void => {
    state.set(n, 1);
    stack.push(n);
    for (const m of next(n)) {
      const s = state.get(m);
      if (s === 1) found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (s === undefined) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
  return found;
}

/** Checks the tree under `root` (its `src/`); returns every violation. */
export function checkArchitecture(root: string): Violation[] {
  const src = join(root, "src");
  const g = graph(src);
  const out: Violation[] = [];
  const rel = (f: string): string => relative(root, f);
  const slices = new Set([...g.keys()].map((f) => areaOf(src, f)).filter((a) => a !== "modules" && !PLATFORM.has(a)));
  for (const [file, edges] of g) {
    const from = areaOf(src, file);
    for (const { target } of edges) {
      if (!target.startsWith("/")) {
        if (isBrowserSafe(src, file) && /^(node:|fs$|path$|pg$|@electric-sql\/|fastify)/.test(target)) {
          out.push({ rule: "browser-safe", file: rel(file), detail: `imports ${target}` });
        }
        continue;
      }
      if (!target.startsWith(src)) continue;
      const to = areaOf(src, target);
      const targetRel = relative(src, target).split(/[\\/]/);
      if (from === "kernel" && to !== "kernel")
        out.push({ rule: "kernel", file: rel(file), detail: `the kernel imports ${rel(target)}` });
      if ((from === "node" || from === "cli") && slices.has(to)) {
        out.push({
          rule: "names-a-domain",
          file: rel(file),
          detail: `${from} imports the ${to} slice (${rel(target)}); only src/modules.ts lists slices`,
        });
      }
      if (slices.has(from) && slices.has(to) && from !== to) {
        const isPublic = targetRel[1] === "sdk" || /\.module\.ts$/.test(targetRel[targetRel.length - 1] ?? "");
        if (!isPublic)
          out.push({
            rule: "slice-internals",
            file: rel(file),
            detail: `imports ${rel(target)}, internal to the ${to} slice (use its sdk/)`,
          });
      }
      if (isBrowserSafe(src, file) && (to === "node" || to === "cli" || (slices.has(to) && targetRel[1] !== "sdk"))) {
        out.push({ rule: "browser-safe", file: rel(file), detail: `imports server code ${rel(target)}` });
      }
    }
  }
  out.push(...checkErrorRegistration(src, root));
  const known = (t: string): string | undefined => (g.has(t) ? t : g.has(`${t}.ts`) ? `${t}.ts` : undefined);
  for (const c of cycles(g.keys(), (f) =>
    (g.get(f) ?? []).filter((e) => !e.typeOnly).flatMap((e) => known(e.target) ?? []),
  )) {
    out.push({ rule: "file-cycle", file: rel(c[0] ?? ""), detail: c.map(rel).join(" -> ") });
  }
  const sliceEdges = new Map<string, Set<string>>();
  for (const [file, edges] of g) {
    const from = areaOf(src, file);
    if (!slices.has(from)) continue;
    for (const { target } of edges) {
      const to = areaOf(src, target);
      if (target.startsWith(src) && slices.has(to) && to !== from)
        (sliceEdges.get(from) ?? sliceEdges.set(from, new Set()).get(from))?.add(to);
    }
  }
  for (const c of cycles(slices, (s) => sliceEdges.get(s) ?? []))
    out.push({ rule: "slice-cycle", file: `src/${c[0] ?? ""}`, detail: c.join(" -> ") });
  return out;
}

/** Files using a slice's error code without importing the slice's `sdk/errors.ts`. */
function checkErrorRegistration(src: string, root: string): Violation[] {
  const owner = new Map<string, string>();
  const tables = walk(src).filter((f) => /[\\/]sdk[\\/]errors\.ts$/.test(f));
  for (const t of tables)
    for (const m of readFileSync(t, "utf8").matchAll(/^ {2}(\w+): \d{3},/gm)) owner.set(m[1] ?? "", t);
  const out: Violation[] = [];
  const files = walk(src).filter((f) => !/\.(test|behaviour)\.tsx?$/.test(f) && !tables.includes(f));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const imported = new Set([...text.matchAll(IMPORT_RE)].map((m) => resolve(dirname(file), m[3] ?? "")));
    const codes = new Set(
      [...text.matchAll(/MedchainError\(\s*"(\w+)"|code: "(\w+)"/g)].map((m) => m[1] ?? m[2] ?? ""),
    );
    for (const code of codes) {
      const table = owner.get(code);
      if (table !== undefined && !imported.has(table)) {
        out.push({
          rule: "error-registration",
          file: relative(root, file),
          detail: `uses ${code} without importing ${relative(root, table)}`,
        });
      }
    }
  }
  return out;
}

if (import.meta.main) {
  const i = process.argv.indexOf("--root");
  const root = resolve(i > 0 ? (process.argv[i + 1] ?? ".") : join(import.meta.dirname, ".."));
  const found = checkArchitecture(root);
  for (const v of found) console.error(`${v.rule}: ${v.file}: ${v.detail}`);
  console.log(found.length === 0 ? "architecture check: ok" : `architecture check: ${found.length} violation(s)`);
  process.exit(found.length === 0 ? 0 : 1);
}

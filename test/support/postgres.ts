/**
 * A real PostgreSQL for tests, in this order of preference:
 *
 * 1. `MEDCHAIN_TEST_PG_URL` (a server the caller runs): a fresh database with
 *    a random name is created per call and dropped (`WITH (FORCE)`) on stop.
 * 2. Debian's binaries (`/usr/lib/postgresql/<version>/bin/initdb`, from
 *    `apt-get install -y postgresql` or `.ci/postgres.sh`): a throwaway
 *    cluster in a temp dir, on a free 127.0.0.1 port, password auth
 *    (scram-sha-256, random password), socket dir inside the temp dir. As
 *    root it runs as the `postgres` system user (initdb refuses root). It is
 *    stopped (`pg_ctl -m immediate`) and removed on stop, or at process exit
 *    if the test forgot.
 * 3. Otherwise `{ skipped }`, which the test must report with `t.skip(reason)`.
 *
 * @module
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, readdirSync, rmSync } from "node:fs";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import pg from "pg";

const execFileAsync = promisify(execFile);

/** A running test database. */
export interface TestPostgres {
  /** Connection URL of a fresh, empty database (includes the password). */
  url: string;
  /** Drops the database (external server) or stops and deletes the cluster; idempotent. */
  stop(): Promise<void>;
}

/** Why no PostgreSQL is available. */
export interface SkippedPostgres {
  /** Human-readable reason, to pass to `t.skip()`. */
  skipped: string;
}

/** Options of {@link startTestPostgres}. */
export interface StartTestPostgresOptions {
  /** Where Debian keeps PostgreSQL versions (default `/usr/lib/postgresql`); for testing the skip path. */
  pgRoot?: string;
}

/** runuser lives in /usr/sbin, which a minimal PATH (CI) may not include. */
const RUNUSER =
  ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"].find((p) => existsSync(p)) ?? "runuser";

/** Starts (or borrows) a PostgreSQL database for one test file; see the module doc. */
export async function startTestPostgres(
  options: StartTestPostgresOptions = {},
): Promise<TestPostgres | SkippedPostgres> {
  const external = process.env.MEDCHAIN_TEST_PG_URL;
  if (external !== undefined && external !== "") return freshDatabase(external);
  const bin = findPostgresBin(options.pgRoot);
  if (bin === undefined) return { skipped: "PostgreSQL is not installed (apt-get install -y postgresql)" };
  return startCluster(bin);
}

/** Newest `/usr/lib/postgresql/<version>/bin` that holds `initdb` and `pg_ctl`. */
export function findPostgresBin(root = "/usr/lib/postgresql"): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return undefined;
  }
  return versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, "bin"))
    .find((bin) => existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl")));
}

async function freshDatabase(serverUrl: string): Promise<TestPostgres> {
  const name = `medchain_test_${randomBytes(6).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let stopped = false;
  return {
    url: url.toString(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await withClient(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** uid and gid of the `postgres` system user, or undefined. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

async function startCluster(bin: string): Promise<TestPostgres | SkippedPostgres> {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : undefined;
  if (asRoot && owner === undefined) {
    return { skipped: "running as root but there is no 'postgres' system user to run initdb as" };
  }
  const dir = await mkdtemp(join(tmpdir(), "medchain-pg-"));
  const data = join(dir, "data");
  const pwfile = join(dir, "pwfile");
  const logfile = join(dir, "server.log");
  const password = randomBytes(18).toString("base64url");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner !== undefined) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  await chmod(dir, 0o700);

  /** argv that runs `command` as the cluster's owner. */
  const as = (command: string, args: string[]): [string, string[]] =>
    asRoot ? [RUNUSER, ["-u", "postgres", "--", command, ...args]] : [command, args];
  const run = async (command: string, args: string[]): Promise<void> => {
    const [file, argv] = as(command, args);
    try {
      await execFileAsync(file, argv, { cwd: dir, timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message?: string };
      throw new Error(`test PostgreSQL: ${command} failed: ${e.stderr || e.stdout || e.message || String(error)}`, {
        cause: error,
      });
    }
  };
  const pgCtl = join(bin, "pg_ctl");
  let started = false;
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    if (started) {
      const [file, argv] = as(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]);
      try {
        execFileSync(file, argv, { cwd: dir, stdio: "ignore", timeout: 30_000 });
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopSync);

  try {
    await run(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ].join(" ");
    await run(pgCtl, ["-D", data, "-l", logfile, "-w", "-t", "30", "-o", options, "start"]);
    started = true;
    const serverUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await withClient(serverUrl, (c) => c.query(`create database "medchain_test"`));
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/medchain_test`,
      async stop() {
        if (stopped) return;
        process.removeListener("exit", stopSync);
        if (started) await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
        started = false;
        stopSync();
      },
    };
  } catch (error) {
    process.removeListener("exit", stopSync);
    stopSync();
    throw error;
  }
}

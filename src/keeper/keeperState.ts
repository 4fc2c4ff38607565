/**
 * A keeper's durable state in its own directory: identity (signing and
 * encryption keys, file mode 0600), the append-only audit log, anchored
 * audit batches, and used request nonces. Every append is fsynced before
 * the keeper answers, so a crash never loses an audit event it reported.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { generatePrivateKey } from "viem/accounts";
import { toHex, fromHex } from "viem";
import { z } from "zod";
import { zBytes32 } from "../kernel/schemas.ts";
import { generateEncryptionKeyPair } from "../kernel/crypto/hpke.ts";
import { writeFileAtomic } from "../node/fsAtomic.ts";
import { zAuditEvent, type AuditEvent } from "../audit/sdk/auditEvent.ts";

const zIdentity = z.object({ signingKey: zBytes32, encryptionPrivateKey: zBytes32, encryptionPublicKey: zBytes32 });
const zAnchored = z.object({ root: zBytes32, fromSeq: z.number().int(), toSeq: z.number().int() });

/** A keeper's keys. */
export interface KeeperIdentity {
  signingKey: `0x${string}`;
  encryptionPrivateKey: Uint8Array;
  encryptionPublicKey: Uint8Array;
}

/** An anchored range of audit events. */
export type AnchoredBatch = z.infer<typeof zAnchored>;

function readLines<T>(file: string, schema: z.ZodType<T>): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  const lines = readFileSync(file, "utf8").split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      out.push(schema.parse(JSON.parse(line)));
    } catch (err) {
      // torn last line after a crash
      if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === "")) break;
      throw err;
    }
  }
  return out;
}

function appendDurable(file: string, line: string): void {
  const fd = openSync(file, "a", 0o600);
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A keeper's state directory. */
export class KeeperState {
  readonly dir: string;
  readonly events: AuditEvent[];
  readonly anchored: AnchoredBatch[];
  readonly #nonces: Set<string>;

  private constructor(dir: string) {
    this.dir = dir;
    this.events = readLines(join(dir, "audit.ndjson"), zAuditEvent);
    this.anchored = readLines(join(dir, "anchors.ndjson"), zAnchored);
    this.#nonces = new Set(readLines(join(dir, "nonces.ndjson"), z.string()));
  }

  /** Opens (creating) the state in `dir`. */
  static open(dir: string): KeeperState {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new KeeperState(dir);
  }

  /** The keeper's keys, created on first use. */
  async identity(): Promise<KeeperIdentity> {
    const file = join(this.dir, "keeper.json");
    if (!existsSync(file)) {
      const enc = await generateEncryptionKeyPair();
      const id = {
        signingKey: generatePrivateKey(),
        encryptionPrivateKey: toHex(enc.privateKey),
        encryptionPublicKey: toHex(enc.publicKey),
      };
      writeFileAtomic(file, `${JSON.stringify(id)}\n`, 0o600);
    }
    const id = zIdentity.parse(JSON.parse(readFileSync(file, "utf8")));
    return {
      signingKey: id.signingKey,
      encryptionPrivateKey: fromHex(id.encryptionPrivateKey, "bytes"),
      encryptionPublicKey: fromHex(id.encryptionPublicKey, "bytes"),
    };
  }

  /** Marks a request nonce used; false when it was used before (a replay). */
  useNonce(nonce: string): boolean {
    if (this.#nonces.has(nonce)) return false;
    appendDurable(join(this.dir, "nonces.ndjson"), JSON.stringify(nonce));
    this.#nonces.add(nonce);
    return true;
  }

  /** Appends an audit event durably. */
  appendEvent(event: Omit<AuditEvent, "seq">): AuditEvent {
    const full = { ...event, seq: this.events.length } as AuditEvent;
    appendDurable(join(this.dir, "audit.ndjson"), JSON.stringify(full));
    this.events.push(full);
    return full;
  }

  /** Records an anchored batch durably. */
  appendAnchored(batch: AnchoredBatch): void {
    appendDurable(join(this.dir, "anchors.ndjson"), JSON.stringify(batch));
    this.anchored.push(batch);
  }

  /** Sequence number of the first event not yet anchored. */
  get firstUnanchored(): number {
    const last = this.anchored[this.anchored.length - 1];
    return last === undefined ? 0 : last.toSeq + 1;
  }
}

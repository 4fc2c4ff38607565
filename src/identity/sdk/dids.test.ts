/**
 * Offline DID resolution against the W3C DID test-suite documents in the
 * shared fixtures: did:key (Ed25519, P-256, secp256k1), did:ethr default
 * documents (mainnet, Polygon 0x89, Gnosis), did:web from a supplied map,
 * and did:pkh built by hand per its spec.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DIDDocument, VerificationMethod } from "did-resolver";
import { extractPublicKeyBytes } from "did-jwt";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getAddress } from "viem";
import { FIXTURES } from "../../../test/support/fixtures.ts";
import { didOf } from "../../accounts/sdk/did.ts";
import {
  accountOfDid,
  addressOfVerificationMethod,
  createDidResolver,
  didWebUrl,
  ethrDefaultDocument,
  pkhDocument,
} from "./dids.ts";

const DIR = join(FIXTURES, "verifiable-credentials", "did-documents");

function fixture(prefix: string): DIDDocument[] {
  return readdirSync(DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".did.json"))
    .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as DIDDocument);
}

function vm(doc: DIDDocument | null | undefined, suffix: string): VerificationMethod {
  const found = doc?.verificationMethod?.find((v) => v.id.endsWith(suffix));
  assert.ok(found !== undefined, `verification method ${suffix} in ${doc?.id}`);
  return found;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

describe("DIDs resolved offline", () => {
  const resolver = createDidResolver();

  it("did:key: every fixture resolves to the same public key (Ed25519, P-256, secp256k1) and method id", async () => {
    const docs = fixture("did_key_");
    assert.equal(docs.length, 3);
    for (const expected of docs) {
      const r = await resolver.resolve(expected.id);
      assert.equal(r.didResolutionMetadata.error, undefined, expected.id);
      const want = expected.verificationMethod?.[0] as VerificationMethod;
      const got = vm(r.didDocument, want.id.slice(want.id.indexOf("#")));
      assert.equal(got.id, want.id);
      const a = extractPublicKeyBytes(want);
      const b = extractPublicKeyBytes(got);
      // fixtures carry JWKs (uncompressed points), the resolver base58 keys (compressed for secp256k1): compare the
      // keys
      if (a.keyType === "Secp256k1") {
        assert.match(String(addressOfVerificationMethod(got)), /^0x[0-9a-fA-F]{40}$/);
        assert.equal(addressOfVerificationMethod(got), addressOfVerificationMethod(want));
      } else assert.equal(hex(b.keyBytes), hex(a.keyBytes), expected.id);
      assert.deepEqual(r.didDocument?.assertionMethod, expected.assertionMethod);
    }
  });

  it(
    "did:ethr: identities without registry changes resolve to " +
      "exactly the fixture document (address and public-key forms)",
    async () => {
      for (const id of [
        "did:ethr:0xf932e07b8ef841828e219d4f40eead9fad115b6e",
        "did:ethr:0x037f598b37e51adc9ec8295860f0beaab4d739f65826a1ed0bb524702503b032bd",
      ]) {
        const [expected] = fixture(`did_ethr_${id.slice(9)}`);
        const r = await resolver.resolve(id);
        assert.deepEqual(r.didDocument, expected, id);
      }
    },
  );

  it(
    "did:ethr: for identities that changed the registry (delegates, " +
      "services), the offline document is their #controller, as on chain",
    async () => {
      const docs = fixture("did_ethr_");
      assert.equal(docs.length, 8);
      for (const expected of docs) {
        const r = await resolver.resolve(expected.id);
        assert.deepEqual(vm(r.didDocument, "#controller"), vm(expected, "#controller"), expected.id);
        assert.ok(
          expected.id.includes("0x89:") ||
            expected.id.includes("gno:") ||
            vm(expected, "#controller").blockchainAccountId?.startsWith("eip155:1:"),
        );
      }
      assert.equal(
        ethrDefaultDocument("did:ethr:unknownnet:0xf932e07b8ef841828e219d4f40eead9fad115b6e"),
        null,
        "unknown network names are refused",
      );
      const custom = createDidResolver({ ethrNetworks: { medchain: 31337 } });
      const r = await custom.resolve("did:ethr:medchain:0xf932e07b8ef841828e219d4f40eead9fad115b6e");
      assert.equal(
        vm(r.didDocument, "#controller").blockchainAccountId,
        "eip155:31337:0xF932e07B8ef841828E219D4F40eead9FAD115b6E",
      );
    },
  );

  it(
    "did:web: resolved from the supplied documents; " + "unknown ones are not fetched unless a fetch is given",
    async () => {
      const [spruce] = fixture("did_web_");
      assert.ok(spruce !== undefined);
      const web = createDidResolver({ webDocuments: { [spruce.id]: spruce } });
      assert.deepEqual((await web.resolve(spruce.id)).didDocument, spruce);
      const unknown = await web.resolve("did:web:example.org");
      assert.equal(unknown.didDocument, null);
      assert.equal(unknown.didResolutionMetadata.error, "notFound");
      assert.equal(didWebUrl(spruce.id), "https://demo.spruceid.com/2021/07/08/did.json");
      assert.equal(didWebUrl("did:web:w3c-ccg.github.io"), "https://w3c-ccg.github.io/.well-known/did.json");
      assert.equal(didWebUrl("did:web:example.com%3A3000:user:alice"), "https://example.com:3000/user/alice/did.json");
      const asked: string[] = [];
      const fetching = createDidResolver({
        fetch: async (url) => {
          asked.push(url);
          return new Response(
            JSON.stringify(url.includes("demo.spruceid.com") ? spruce : { ...spruce, id: "did:web:other" }),
            { status: 200 },
          );
        },
      });
      assert.deepEqual((await fetching.resolve(spruce.id)).didDocument, spruce);
      const mismatch = await fetching.resolve("did:web:evil.example");
      assert.equal(
        mismatch.didResolutionMetadata.error,
        "invalidDidDocument",
        "a document whose id is " + "not the DID is refused",
      );
      assert.deepEqual(asked, [
        "https://demo.spruceid.com/2021/07/08/did.json",
        "https://evil.example/.well-known/did.json",
      ]);
    },
  );

  it(
    "did:pkh: the document is built from the DID (recovery " +
      "method with the CAIP-10 account), and bad ones are refused",
    async () => {
      const account = privateKeyToAccount(generatePrivateKey());
      const did = didOf(31337, account.address);
      const doc = (await resolver.resolve(did)).didDocument;
      assert.deepEqual(doc, pkhDocument(did));
      const method = vm(doc, "#blockchainAccountId");
      assert.equal(method.type, "EcdsaSecp256k1RecoveryMethod2020");
      assert.equal(method.blockchainAccountId, `eip155:31337:${account.address}`);
      assert.deepEqual(doc?.authentication, [method.id]);
      assert.deepEqual(doc?.assertionMethod, [method.id]);
      assert.equal(addressOfVerificationMethod(method), account.address);
      const lower = account.address.toLowerCase();
      const badChecksum = `0x${[...lower.slice(2)].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join("")}`;
      for (const bad of [
        "did:pkh:eip155:0:" + lower,
        "did:pkh:bip122:000000000019d6689c085ae165831e93:128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6",
        "did:pkh:eip155:1:0x1234",
        `did:pkh:eip155:1:${badChecksum}`,
      ]) {
        const r = await resolver.resolve(bad);
        assert.equal(r.didDocument, null, bad);
      }
    },
  );

  it(
    "accountOfDid names the account (and chain) of did:pkh, " +
      "did:ethr and secp256k1 did:key, and nothing for others",
    () => {
      const account = privateKeyToAccount(generatePrivateKey());
      assert.deepEqual(accountOfDid(didOf(5, account.address)), { address: account.address, chainId: 5 });
      assert.deepEqual(accountOfDid("did:ethr:0x89:0xb12c4093cfff8e668871f4318a5719a7e8824de6"), {
        address: getAddress("0xb12c4093cfff8e668871f4318a5719a7e8824de6"),
        chainId: 137,
      });
      assert.deepEqual(accountOfDid("did:ethr:0x037f598b37e51adc9ec8295860f0beaab4d739f65826a1ed0bb524702503b032bd"), {
        address: getAddress("0xf932e07b8ef841828e219d4f40eead9fad115b6e"),
        chainId: 1,
      });
      const [k1] = fixture("did_key_zQ3s");
      assert.equal(
        accountOfDid(k1?.id ?? "")?.address,
        addressOfVerificationMethod(k1?.verificationMethod?.[0] as VerificationMethod),
      );
      assert.equal(accountOfDid("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"), null);
      assert.equal(accountOfDid("did:web:demo.spruceid.com"), null);
      assert.equal(accountOfDid("did:example:123"), null);
    },
  );
});

/**
 * Offline DID resolution for medchain (isomorphic: no network unless asked).
 *
 * - `did:pkh:eip155:<chainId>:<address>`: the document is a pure function of
 *   the DID (did:pkh spec): one `EcdsaSecp256k1RecoveryMethod2020` method with
 *   a CAIP-10 `blockchainAccountId`, used for authentication and assertions.
 * - `did:key`: key-did-resolver (the document is derived from the key).
 * - `did:ethr`: the DEFAULT document only (what ethr-did-resolver returns for
 *   an identity that never changed its ERC-1056 registry entry). No registry
 *   lookups are made: delegates, rotated owners and services added on chain
 *   are not seen. Good for accounts that sign with their own key.
 * - `did:web`: from a supplied map of documents; fetching over HTTPS is off
 *   unless a `fetch` is given (cluster profile).
 */
import {
  Resolver,
  type DIDDocument,
  type DIDResolutionResult,
  type ParsedDID,
  type VerificationMethod,
} from "did-resolver";
import { getResolver as keyDidResolver } from "key-did-resolver";
import { extractPublicKeyBytes } from "did-jwt";
import { secp256k1 } from "@noble/curves/secp256k1";
import { bytesToHex, getAddress, isAddress, type Address, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";

/** JSON-LD context of did:pkh documents (did:pkh spec, eip155 example). */
const PKH_CONTEXT = [
  "https://www.w3.org/ns/did/v1",
  {
    blockchainAccountId: "https://w3id.org/security#blockchainAccountId",
    EcdsaSecp256k1RecoveryMethod2020:
      "https://identity.foundation/EcdsaSecp256k1RecoverySignature2020#EcdsaSecp256k1RecoveryMethod2020",
  },
];

/** Named did:ethr networks and their EIP-155 chain ids (a name absent here needs a hex chain id or `ethrNetworks`). */
export const ETHR_NETWORKS: Readonly<Record<string, number>> = {
  mainnet: 1,
  goerli: 5,
  sepolia: 11155111,
  polygon: 137,
  gno: 100,
  linea: 59144,
};

/** Options of {@link createDidResolver}. */
export interface DidResolverOptions {
  /** did:web documents by DID (exact string), e.g. institutions known to this node. */
  webDocuments?: Readonly<Record<string, DIDDocument>>;
  /** Fetch unknown did:web documents over HTTPS with this function (cluster profile). Off by default. */
  fetch?: (url: string) => Promise<Response>;
  /** Extra did:ethr network names (e.g. `{ medchain: 31337 }`). */
  ethrNetworks?: Readonly<Record<string, number>>;
}

function result(didDocument: DIDDocument): DIDResolutionResult {
  return { didResolutionMetadata: { contentType: "application/did+json" }, didDocument, didDocumentMetadata: {} };
}

function failure(error: string, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocument: null, didDocumentMetadata: {} };
}

const PKH_ID = /^eip155:([1-9][0-9]{0,31}):(0x[0-9a-fA-F]{40})$/;

/** The did:pkh document of `did` (eip155 only), or null when `did` is not a valid eip155 did:pkh. */
export function pkhDocument(did: string): DIDDocument | null {
  const m = PKH_ID.exec(did.startsWith("did:pkh:") ? did.slice(8) : "");
  if (m === null || !isAddress(m[2] as string)) return null;
  const vmId = `${did}#blockchainAccountId`;
  return {
    "@context": PKH_CONTEXT,
    id: did,
    verificationMethod: [
      {
        id: vmId,
        type: "EcdsaSecp256k1RecoveryMethod2020",
        controller: did,
        blockchainAccountId: `eip155:${m[1]}:${m[2]}`,
      },
    ],
    authentication: [vmId],
    assertionMethod: [vmId],
  } as DIDDocument;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Parses a did:ethr method-specific id into chain id and identifier; null when malformed or the network is unknown. */
function parseEthr(
  id: string,
  networks: Readonly<Record<string, number>>,
): { chainId: number; identifier: string } | null {
  const parts = id.split(":");
  const identifier = parts.pop() ?? "";
  const network = parts.join(":");
  let chainId: number | undefined;
  if (network === "") chainId = 1;
  else if (/^0x[0-9a-fA-F]+$/.test(network)) chainId = Number.parseInt(network.slice(2), 16);
  else chainId = networks[network];
  if (chainId === undefined || !Number.isSafeInteger(chainId) || chainId <= 0) return null;
  if (!/^0x([0-9a-fA-F]{40}|0[23][0-9a-fA-F]{64})$/.test(identifier)) return null;
  return { chainId, identifier };
}

/**
 * The default did:ethr document (an identity with no ERC-1056 registry changes), as ethr-did-resolver
 * builds it: `#controller` (recovery method, CAIP-10 account) and, for a public-key identifier, `#controllerKey`.
 */
export function ethrDefaultDocument(
  did: string,
  networks: Readonly<Record<string, number>> = ETHR_NETWORKS,
): DIDDocument | null {
  if (!did.startsWith("did:ethr:")) return null;
  const parsed = parseEthr(did.slice(9), networks);
  if (parsed === null) return null;
  const { chainId, identifier } = parsed;
  let address: Address;
  let point: { x: Uint8Array; y: Uint8Array } | null = null;
  if (identifier.length === 42) {
    address = getAddress(identifier);
  } else {
    let p;
    try {
      p = secp256k1.ProjectivePoint.fromHex(identifier.slice(2));
    } catch {
      return null;
    }
    const raw = p.toRawBytes(false);
    address = publicKeyToAddress(bytesToHex(raw));
    point = { x: raw.slice(1, 33), y: raw.slice(33) };
  }
  const controller = `${did}#controller`;
  const vms: VerificationMethod[] = [
    {
      id: controller,
      type: "EcdsaSecp256k1RecoveryMethod2020",
      controller: did,
      blockchainAccountId: `eip155:${chainId}:${address}`,
    },
  ];
  const context: unknown[] = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
  ];
  const refs = [controller];
  if (point !== null) {
    const key = `${did}#controllerKey`;
    vms.push({
      id: key,
      type: "EcdsaSecp256k1VerificationKey2019",
      controller: did,
      publicKeyJwk: { kty: "EC", crv: "secp256k1", x: base64url(point.x), y: base64url(point.y) },
    });
    context.push("https://w3id.org/security/v2", {
      publicKeyJwk: { "@id": "https://w3id.org/security#publicKeyJwk", "@type": "@json" },
    });
    refs.push(key);
  }
  return {
    "@context": context,
    id: did,
    verificationMethod: vms,
    authentication: refs,
    assertionMethod: refs,
  } as DIDDocument;
}

/** The HTTPS URL of a did:web document (did:web spec: `:` separates path segments, `%3A` encodes a port). */
export function didWebUrl(did: string): string | null {
  if (!did.startsWith("did:web:")) return null;
  const segments = did
    .slice(8)
    .split(":")
    .map((s) => decodeURIComponent(s));
  const host = segments.shift() ?? "";
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(host) || segments.some((s) => s === "" || s.includes("/"))) return null;
  return segments.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${segments.join("/")}/did.json`;
}

/**
 * A did-resolver `Resolver` for did:pkh, did:key, did:ethr (default documents, offline) and did:web
 * (supplied documents; HTTPS only when `options.fetch` is given).
 */
export function createDidResolver(options: DidResolverOptions = {}): Resolver {
  const networks = { ...ETHR_NETWORKS, ...options.ethrNetworks };
  return new Resolver({
    ...keyDidResolver(),
    pkh: async (did: string) => {
      const doc = pkhDocument(did);
      return doc === null ? failure("invalidDid", "only did:pkh:eip155:<chainId>:<address> is supported") : result(doc);
    },
    ethr: async (did: string) => {
      const doc = ethrDefaultDocument(did, networks);
      return doc === null
        ? failure("invalidDid", "not a did:ethr with a known network " + "and an address or compressed public key")
        : result(doc);
    },
    web: async (did: string, parsed: ParsedDID) => {
      const known = options.webDocuments?.[parsed.did];
      if (known !== undefined) return result(known);
      const url = didWebUrl(parsed.did);
      if (url === null) return failure("invalidDid", "malformed did:web");
      if (options.fetch === undefined)
        return failure("notFound", "did:web document not known to " + "this node (fetching is off)");
      let doc: unknown;
      try {
        const res = await options.fetch(url);
        if (!res.ok) return failure("notFound", `did:web document answered ${res.status}`);
        doc = await res.json();
      } catch {
        return failure("notFound", "did:web document could not be fetched");
      }
      if (typeof doc !== "object" || doc === null || (doc as { id?: unknown }).id !== parsed.did)
        return failure("invalidDidDocument", "did:web document id " + "does not match the DID");
      return result(doc as DIDDocument);
    },
  });
}

const PKH_DID = /^did:pkh:eip155:([1-9][0-9]{0,31}):(0x[0-9a-fA-F]{40})$/;

/**
 * The account of a DID that names an EVM key (did:pkh eip155, did:ethr, secp256k1 did:key), with its chain when the DID
 * names one; null otherwise.
 */
export function accountOfDid(did: string): { address: Address; chainId: number | null } | null {
  const pkh = PKH_DID.exec(did);
  if (pkh !== null)
    return isAddress(pkh[2] as string) ? { address: getAddress(pkh[2] as string), chainId: Number(pkh[1]) } : null;
  if (did.startsWith("did:ethr:")) {
    const identifier = did.split(":").pop() ?? "";
    const network = did.slice(9, -identifier.length - 1);
    // an unknown network name still names its address; its chain is then reported as unknown (null)
    const networks = { [network]: Number.MAX_SAFE_INTEGER, ...ETHR_NETWORKS };
    const parsed = parseEthr(did.slice(9), networks);
    const doc = parsed === null ? null : ethrDefaultDocument(did, networks);
    const account = doc?.verificationMethod?.[0]?.blockchainAccountId?.split(":");
    if (parsed === null || account === undefined) return null;
    return {
      address: getAddress(account[2] as string),
      chainId: parsed.chainId === Number.MAX_SAFE_INTEGER ? null : parsed.chainId,
    };
  }
  if (did.startsWith("did:key:zQ3s")) {
    try {
      const { keyBytes } = extractPublicKeyBytes({
        id: did,
        type: "Multikey",
        controller: did,
        publicKeyMultibase: did.slice(8),
      });
      return { address: secp256k1Address(keyBytes), chainId: null };
    } catch {
      return null;
    }
  }
  return null;
}

function secp256k1Address(keyBytes: Uint8Array): Address {
  const raw = secp256k1.ProjectivePoint.fromHex(keyBytes).toRawBytes(false);
  return publicKeyToAddress(bytesToHex(raw) as Hex);
}

/**
 * The EVM address a verification method stands for (CAIP-10 eip155 account, ethereumAddress, or a secp256k1 public
 * key); null otherwise.
 */
export function addressOfVerificationMethod(vm: VerificationMethod): Address | null {
  if (typeof vm.blockchainAccountId === "string") {
    const m =
      /^eip155:[0-9]+:(0x[0-9a-fA-F]{40})$/.exec(vm.blockchainAccountId) ??
      /^(0x[0-9a-fA-F]{40})@eip155:[0-9]+$/.exec(vm.blockchainAccountId);
    return m !== null && isAddress(m[1] as string, { strict: false }) ? getAddress(m[1] as string) : null;
  }
  if (typeof vm.ethereumAddress === "string")
    return isAddress(vm.ethereumAddress, { strict: false }) ? getAddress(vm.ethereumAddress) : null;
  try {
    const { keyBytes, keyType } = extractPublicKeyBytes(vm);
    if (keyType !== "Secp256k1" || keyBytes.length === 0) return null;
    return secp256k1Address(keyBytes);
  } catch {
    return null;
  }
}

/**
 * Credentials end to end in the SDK (no chain: trust answered by StaticTrust):
 * issue, present with a challenge, verify. Acceptance 3 of issue 5: a
 * credential signed by a non-accredited issuer, an expired one, one
 * presented by a different holder, one with a tampered claim and a replayed
 * presentation are each refused with a distinct code; so are the other
 * refusals (revoked, not yet valid, wrong challenge or audience, expired
 * presentation, unresolvable DID, bad claims). No error message holds a
 * claim value.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hexToBytes, keccak256, stringToBytes, type Address, type Hex } from "viem";
import { createVerifiableCredentialJwt } from "did-jwt-vc";
import { bytesToMultibase, ES256KSigner } from "did-jwt";
import { secp256k1 } from "@noble/curves/secp256k1";
import { expectCode } from "../support/assertions.ts";
import { MedchainError } from "../../src/kernel/errors.ts";
import { didOf } from "../../src/accounts/sdk/did.ts";
import {
  accountSigner,
  ChallengeBook,
  CREDENTIAL_TYPES,
  StaticTrust,
  createPresentation,
  credentialTypeId,
  issueCredential,
  jwtVcContext,
  presentationChallenge,
  verifyCredential,
  verifyPresentation,
  VC_CONTEXT_V1,
  type IssueCredentialParameters,
} from "../../src/identity/sdk/index.ts";

const CHAIN = 31337;
const DOMAIN = "node.medchain.test";
const REGISTRY: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const DAY = 86_400_000;
const LICENCE = { licenceNumber: "GMC-7318842", jurisdiction: "GB", specialty: "Emergency medicine" };
const SECRETS = [
  LICENCE.licenceNumber,
  LICENCE.specialty,
  "0300011111116",
  "REC-22-0417",
  "Leeds West Research Ethics Committee",
];
const CLINICIAN = credentialTypeId(CREDENTIAL_TYPES.ClinicianLicence);

function tamper(jwt: string, mutate: (payload: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
  mutate(payload);
  return [h, Buffer.from(JSON.stringify(payload)).toString("base64url"), s].join(".");
}

/** Asserts the code, and that neither message nor details hold a claim value. */
async function refused(p: Promise<unknown>, code: string): Promise<MedchainError> {
  const err = await expectCode(p, code);
  const shown = JSON.stringify(err.toJSON());
  for (const s of SECRETS) assert.ok(!shown.includes(s), `${code} error shows a claim value`);
  return err;
}

describe("credentials: issue, present, verify", () => {
  let board: PrivateKeyAccount;
  let rogue: PrivateKeyAccount;
  let doctor: PrivateKeyAccount;
  let stranger: PrivateKeyAccount;
  let trust: StaticTrust;
  const opts = (): { chainId: number; trust: StaticTrust } => ({ chainId: CHAIN, trust });
  const licence = (
    over: Partial<IssueCredentialParameters> = {},
  ): Promise<{ jwt: string; id: string; credentialId: Hex }> =>
    issueCredential({
      issuer: board,
      chainId: CHAIN,
      type: "ClinicianLicenceCredential",
      subject: doctor.address,
      claims: LICENCE,
      validFrom: new Date(Date.now() - DAY),
      validUntil: new Date(Date.now() + 365 * DAY),
      statusRegistry: REGISTRY,
      ...over,
    });

  async function present(
    holder: PrivateKeyAccount,
    credentials: string[],
    book = new ChallengeBook(),
  ): Promise<{ vp: string; challenge: string; book: ChallengeBook }> {
    const { challenge } = await book.issue();
    return {
      vp: await createPresentation({ holder, chainId: CHAIN, credentials, challenge, domain: DOMAIN }),
      challenge,
      book,
    };
  }

  before(() => {
    [board, rogue, doctor, stranger] = [0, 1, 2, 3].map(() => privateKeyToAccount(generatePrivateKey())) as [
      PrivateKeyAccount,
      PrivateKeyAccount,
      PrivateKeyAccount,
      PrivateKeyAccount,
    ];
    trust = new StaticTrust().accredit(board.address, CLINICIAN);
  });

  it("a licence issued by an accredited board verifies, with its ids, parties, claims and validity", async () => {
    const issued = await licence();
    assert.match(issued.id, /^urn:uuid:[0-9a-f-]{36}$/);
    assert.equal(issued.credentialId, keccak256(stringToBytes(issued.id)));
    const v = await verifyCredential(issued.jwt, { ...opts(), statusRegistry: REGISTRY });
    assert.equal(v.type, "ClinicianLicenceCredential");
    assert.equal(v.typeId, keccak256(stringToBytes("ClinicianLicenceCredential")));
    assert.equal(v.credentialId, issued.credentialId);
    assert.equal(v.issuer, board.address);
    assert.equal(v.issuerDid, didOf(CHAIN, board.address));
    assert.equal(v.subject, doctor.address);
    assert.deepEqual(v.claims, LICENCE);
    assert.equal(v.statusRegistry, REGISTRY);
    assert.ok(v.validFrom < new Date() && v.validUntil > new Date());
    const header = JSON.parse(Buffer.from(issued.jwt.split(".")[0] ?? "", "base64url").toString()) as { alg: string };
    assert.equal(header.alg, "ES256K");
  });

  it("the holder presents it with the verifier's challenge; the presentation verifies once", async () => {
    const issued = await licence();
    const { vp, challenge, book } = await present(doctor, [issued.jwt]);
    assert.equal(presentationChallenge(vp), challenge);
    const p = await verifyPresentation(vp, {
      ...opts(),
      challenge: presentationChallenge(vp),
      domain: DOMAIN,
      challenges: book,
    });
    assert.equal(p.holder, doctor.address);
    assert.deepEqual(
      p.credentials.map((c) => c.credentialId),
      [issued.credentialId],
    );
  });

  it(
    "acceptance 3: non-accredited issuer, expired, other holder, " +
      "tampered claim and replay are refused with distinct codes",
    async () => {
      const codes: string[] = [];
      const notAccredited = await issueCredential({
        issuer: rogue,
        chainId: CHAIN,
        type: "ClinicianLicence",
        subject: doctor.address,
        claims: LICENCE,
        validFrom: new Date(Date.now() - DAY),
        validUntil: new Date(Date.now() + DAY),
      });
      codes.push((await refused(verifyCredential(notAccredited.jwt, opts()), "CredentialIssuerNotAccredited")).code);

      const expired = await licence({
        validFrom: new Date(Date.now() - 30 * DAY),
        validUntil: new Date(Date.now() - DAY),
      });
      codes.push((await refused(verifyCredential(expired.jwt, opts()), "CredentialExpired")).code);

      const good = await licence();
      const stolen = await present(stranger, [good.jwt]);
      codes.push(
        (
          await refused(
            verifyPresentation(stolen.vp, {
              ...opts(),
              challenge: stolen.challenge,
              domain: DOMAIN,
              challenges: stolen.book,
            }),
            "PresentationHolderMismatch",
          )
        ).code,
      );

      const tampered = tamper(good.jwt, (p) => {
        (p.vc as { credentialSubject: { specialty: string } }).credentialSubject.specialty = "Neurosurgery";
      });
      codes.push((await refused(verifyCredential(tampered, opts()), "CredentialSignatureInvalid")).code);
      const tamperedInVp = await present(doctor, [tampered]);
      await refused(
        verifyPresentation(tamperedInVp.vp, { ...opts(), challenge: tamperedInVp.challenge, domain: DOMAIN }),
        "CredentialSignatureInvalid",
      );

      const once = await present(doctor, [good.jwt]);
      const args = { ...opts(), challenge: once.challenge, domain: DOMAIN, challenges: once.book };
      await verifyPresentation(once.vp, args);
      codes.push((await refused(verifyPresentation(once.vp, args), "PresentationReplayed")).code);

      assert.equal(new Set(codes).size, 5, `distinct codes: ${codes.join(", ")}`);
    },
  );

  it(
    "a revoked credential is refused with CredentialRevoked; " + "one not yet valid with CredentialNotYetValid",
    async () => {
      const issued = await licence();
      const local = new StaticTrust().accredit(board.address, CLINICIAN).revoke(issued.credentialId);
      await refused(verifyCredential(issued.jwt, { chainId: CHAIN, trust: local }), "CredentialRevoked");
      const future = await licence({
        validFrom: new Date(Date.now() + 10 * DAY),
        validUntil: new Date(Date.now() + 20 * DAY),
      });
      await refused(verifyCredential(future.jwt, opts()), "CredentialNotYetValid");
      const ok = await verifyCredential(future.jwt, { ...opts(), now: new Date(Date.now() + 11 * DAY) });
      assert.equal(ok.credentialId, future.credentialId);
      await refused(
        verifyCredential(future.jwt, { ...opts(), now: new Date(Date.now() + 21 * DAY) }),
        "CredentialExpired",
      );
    },
  );

  it(
    "accreditation is judged at issuance: de-accreditation keeps earlier " +
      "credentials, refuses later ones; another type does not count",
    async () => {
      const t = new StaticTrust().accredit(board.address, CLINICIAN, new Date(Date.now() - 10 * DAY));
      const before = await licence({
        issuedAt: new Date(Date.now() - 5 * DAY),
        validFrom: new Date(Date.now() - 5 * DAY),
      });
      t.deaccredit(board.address, CLINICIAN, new Date(Date.now() - DAY));
      const after = await licence();
      assert.equal((await verifyCredential(before.jwt, { chainId: CHAIN, trust: t })).issuer, board.address);
      await refused(verifyCredential(after.jwt, { chainId: CHAIN, trust: t }), "CredentialIssuerNotAccredited");
      const wrongType = new StaticTrust().accredit(board.address, credentialTypeId(CREDENTIAL_TYPES.TradingPartner));
      await refused(verifyCredential(after.jwt, { chainId: CHAIN, trust: wrongType }), "CredentialIssuerNotAccredited");
    },
  );

  it(
    "challenges: a wrong nonce or audience, an unknown or " +
      "expired challenge and an expired presentation are refused",
    async () => {
      const issued = await licence();
      const { vp, challenge, book } = await present(doctor, [issued.jwt]);
      await refused(
        verifyPresentation(vp, { ...opts(), challenge: "another-challenge", domain: DOMAIN }),
        "PresentationChallengeMismatch",
      );
      const aud = await refused(
        verifyPresentation(vp, { ...opts(), challenge, domain: "evil.example" }),
        "PresentationChallengeMismatch",
      );
      assert.equal(aud.details?.field, "aud");
      const forged = tamper(vp, (p) => {
        p.nonce = "forged";
      });
      await refused(
        verifyPresentation(forged, { ...opts(), challenge: "forged", domain: DOMAIN }),
        "CredentialSignatureInvalid",
      );
      await refused(
        verifyPresentation(vp, { ...opts(), challenge, domain: DOMAIN, challenges: new ChallengeBook() }),
        "PresentationChallengeMismatch",
      );
      await refused(
        verifyPresentation(vp, { ...opts(), challenge, domain: DOMAIN, now: new Date(Date.now() + 3_600_000) }),
        "PresentationExpired",
      );
      const shortBook = new ChallengeBook({ ttlMs: 1000 });
      const c = await shortBook.issue(new Date(0));
      await refused(shortBook.consume(c.challenge, new Date(5000)), "PresentationChallengeMismatch");
      // the original is still fresh for its own book
      assert.equal(
        (await verifyPresentation(vp, { ...opts(), challenge, domain: DOMAIN, challenges: book })).holder,
        doctor.address,
      );
    },
  );

  it(
    "a presentation mixing the holder's credential with " + "someone else's is refused with PresentationHolderMismatch",
    async () => {
      const mine = await licence();
      const theirs = await licence({ subject: stranger.address });
      const { vp, challenge } = await present(doctor, [mine.jwt, theirs.jwt]);
      const err = await refused(
        verifyPresentation(vp, { ...opts(), challenge, domain: DOMAIN }),
        "PresentationHolderMismatch",
      );
      assert.equal(err.details?.index, 1);
    },
  );

  it("bad claims are refused before signing with InvalidCredential naming the field, never the value", async () => {
    const base = {
      issuer: board,
      chainId: CHAIN,
      subject: doctor.address,
      validFrom: new Date(),
      validUntil: new Date(Date.now() + DAY),
    };
    const partner = { gln: "0300011111116", companyPrefix: "030001", role: "wholesaler" };
    assert.ok((await issueCredential({ ...base, type: "TradingPartner", claims: partner })).jwt.length > 100);
    const cases: Array<[IssueCredentialParameters, string]> = [
      [{ ...base, type: "TradingPartner", claims: { ...partner, gln: "0300011111117" } }, "credentialSubject.gln"],
      [{ ...base, type: "TradingPartner", claims: { ...partner, role: "smuggler" } }, "credentialSubject.role"],
      [
        { ...base, type: "TradingPartner", claims: { ...partner, companyPrefix: "03x" } },
        "credentialSubject.companyPrefix",
      ],
      [
        { ...base, type: "ClinicianLicence", claims: { ...LICENCE, jurisdiction: "Great Britain" } },
        "credentialSubject.jurisdiction",
      ],
      [
        { ...base, type: "ClinicianLicence", claims: { ...LICENCE, nhsNumber: "943 476 5919" } },
        "credentialSubject.nhsNumber",
      ],
      [
        {
          ...base,
          type: "EthicsApproval",
          claims: { approvalNumber: "REC-22-0417", committee: "Leeds West Research Ethics Committee" },
        },
        "credentialSubject.protocolId",
      ],
      [{ ...base, type: "ClinicianLicence", claims: LICENCE, validUntil: base.validFrom }, "validUntil"],
      [{ ...base, type: "Passport" as "ClinicianLicence", claims: LICENCE }, "type"],
      [{ ...base, type: "ClinicianLicence", claims: LICENCE, subject: "0x1234" as Address }, "credentialSubject.id"],
    ];
    for (const [params, path] of cases) {
      const err = await refused(issueCredential(params), "InvalidCredential");
      assert.equal(err.details?.path, path, err.shortMessage);
    }
    const ethics = await issueCredential({
      ...base,
      type: "EthicsApproval",
      claims: {
        approvalNumber: "REC-22-0417",
        committee: "Leeds West Research Ethics Committee",
        protocolId: "NCT05123456",
      },
    });
    const t = new StaticTrust().accredit(board.address, credentialTypeId(CREDENTIAL_TYPES.EthicsApproval));
    assert.equal((await verifyCredential(ethics.jwt, { chainId: CHAIN, trust: t })).type, "EthicsApprovalCredential");
  });

  it(
    "a signed credential with claims the type does not allow, " +
      "or on another chain or registry, is InvalidCredential",
    async () => {
      const issued = await licence();
      const wrongChain = await refused(verifyCredential(issued.jwt, { chainId: 1, trust }), "InvalidCredential");
      assert.equal(wrongChain.details?.path, "issuer");
      const otherRegistry = await refused(
        verifyCredential(issued.jwt, { ...opts(), statusRegistry: "0x0000000000000000000000000000000000000001" }),
        "InvalidCredential",
      );
      assert.equal(otherRegistry.details?.path, "credentialStatus.id");
      // the board signs, by hand (past issueCredential's checks), a licence whose jurisdiction is malformed
      const did = didOf(CHAIN, board.address);
      const raw = await createVerifiableCredentialJwt(
        {
          iss: did,
          sub: didOf(CHAIN, doctor.address),
          jti: `urn:uuid:${crypto.randomUUID()}`,
          nbf: Math.floor(Date.now() / 1000) - 60,
          exp: Math.floor(Date.now() / 1000) + 3600,
          vc: {
            "@context": jwtVcContext("ClinicianLicenceCredential"),
            type: ["VerifiableCredential", "ClinicianLicenceCredential"],
            credentialSubject: { ...LICENCE, jurisdiction: "gb!" },
          },
        },
        { did, signer: accountSigner(board), alg: "ES256K" },
      );
      const bad = await refused(verifyCredential(raw, opts()), "InvalidCredential");
      assert.equal(bad.details?.path, "credentialSubject.jurisdiction");
    },
  );

  it(
    "issuers may use did:key (secp256k1), did:ethr and " + "ES256K-R; an unknown did:web issuer is DidNotResolvable",
    async () => {
      const key = generatePrivateKey();
      const account = privateKeyToAccount(key);
      const didKey = `did:key:${bytesToMultibase(secp256k1.getPublicKey(hexToBytes(key), true), "base58btc", "secp256k1-pub")}`;
      const didEthr = `did:ethr:0x7a69:${account.address.toLowerCase()}`;
      const t = new StaticTrust().accredit(account.address, CLINICIAN);
      const sign = (iss: string, alg: "ES256K" | "ES256K-R"): Promise<string> =>
        createVerifiableCredentialJwt(
          {
            iss,
            sub: didOf(CHAIN, doctor.address),
            jti: `urn:uuid:${crypto.randomUUID()}`,
            nbf: Math.floor(Date.now() / 1000) - 60,
            exp: Math.floor(Date.now() / 1000) + 3600,
            vc: {
              "@context": [VC_CONTEXT_V1],
              type: ["VerifiableCredential", "ClinicianLicenceCredential"],
              credentialSubject: LICENCE,
            },
          },
          { did: iss, signer: ES256KSigner(hexToBytes(key), alg === "ES256K-R"), alg },
        );
      for (const [iss, alg] of [
        [didKey, "ES256K"],
        [didEthr, "ES256K"],
        [didOf(CHAIN, account.address), "ES256K-R"],
      ] as const) {
        const v = await verifyCredential(await sign(iss, alg), { chainId: CHAIN, trust: t });
        assert.equal(v.issuer, account.address, iss);
        assert.equal(v.issuerDid, iss);
      }
      await refused(
        verifyCredential(await sign("did:web:unknown-board.example", "ES256K"), { chainId: CHAIN, trust: t }),
        "DidNotResolvable",
      );
      // a did:key issuer whose key did not sign: the signature does not verify
      const other = `did:key:${bytesToMultibase(secp256k1.getPublicKey(hexToBytes(generatePrivateKey()), true), "base58btc", "secp256k1-pub")}`;
      await refused(
        verifyCredential(await sign(other, "ES256K"), { chainId: CHAIN, trust: t }),
        "CredentialSignatureInvalid",
      );
    },
  );

  it("garbage is InvalidCredential, not a crash", async () => {
    for (const bad of [
      "",
      "not.a.jwt!",
      "a.b",
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.x`,
    ]) {
      await refused(verifyCredential(bad, opts()), "InvalidCredential");
      await refused(verifyPresentation(bad, { ...opts(), challenge: "c", domain: DOMAIN }), "InvalidCredential");
    }
    await refused(
      createPresentation({ holder: doctor, chainId: CHAIN, credentials: [], challenge: "c", domain: DOMAIN }),
      "InvalidCredential",
    );
  });
});

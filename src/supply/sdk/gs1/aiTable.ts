/**
 * The GS1 Application Identifier table: every AI of the GS1 Barcode Syntax
 * Dictionary (release 2026-01-27) with its format (components, character sets,
 * lengths), FNC1 requirement, content rules ("linters": check digits, dates,
 * code lists), AI associations (`req` / `ex`) and GS1 Digital Link roles.
 *
 * The dictionary text is embedded verbatim (entries only) and parsed once on
 * first use, so updating to a new GS1 release is a paste. Copyright of the
 * dictionary entries: (c) 2020-2021 BWIPP project, (c) 2020-2021 Zint
 * Project, (c) 2021-2026 GS1 AISBL; Apache License 2.0
 * (http://www.apache.org/licenses/LICENSE-2.0).
 *
 * Unknown AIs are refused by default. With `permitUnknownAis`, an AI that is
 * not in the dictionary is accepted when its two-digit prefix tells its length
 * (the GS1 General Specifications fix the AI length per prefix, and fix the
 * value length of the "predefined length" prefixes 00-04, 11-20, 31-36, 41),
 * so unknown-but-valid AIs from a newer GS1 release still parse.
 */

/** Character sets of AI components: N digits, X GS1 CSET 82, Y CSET 39, Z CSET 64 (base64url). */
export type CharSet = "N" | "X" | "Y" | "Z";

/** One component of an AI value, in order. */
export interface AiComponent {
  /** Character set. */
  readonly cset: CharSet;
  /** Minimum length (when present). */
  readonly min: number;
  /** Maximum length. */
  readonly max: number;
  /** Optional components may be absent (only at the end). */
  readonly optional: boolean;
  /** Names of the GS1 syntax tests applied to the component (e.g. `csum`, `yymmd0`). */
  readonly linters: readonly string[];
}

/** An Application Identifier and its rules. */
export interface AiEntry {
  /** The AI, 2 to 4 digits. */
  readonly ai: string;
  /** Short title from the dictionary (e.g. "GTIN", "USE BY or EXPIRY"). */
  readonly title: string;
  /** True when a variable-length value must be ended by FNC1 / GS before a following AI. */
  readonly fnc1: boolean;
  /** True when the AI may appear as a GS1 Digital Link data attribute (query parameter). */
  readonly dlAttribute: boolean;
  /** Value components, in order. */
  readonly components: readonly AiComponent[];
  /** Each entry is one `req=` rule: alternatives, each a list of AI patterns that must all be present. */
  readonly requires: readonly (readonly (readonly string[])[])[];
  /** AI patterns this AI must not be combined with (`nnn` = any digit). */
  readonly excludes: readonly string[];
  /** When the AI is a Digital Link primary key: the allowed ordered qualifier sequences (each may be cut short). */
  readonly dlQualifiers: readonly (readonly string[])[] | undefined;
  /** True for an AI vivified by `permitUnknownAis` (not in the dictionary). */
  readonly unknown: boolean;
}

/** Options for AI lookups. */
export interface AiLookupOptions {
  /** Accept AIs that are not in the dictionary when their prefix fixes their length (default false). */
  permitUnknownAis?: boolean;
}

/** The GS1 Barcode Syntax Dictionary entries (release 2026-01-27), verbatim. */
const DICTIONARY = `
00         *?  N18,csum,gcppos2                  dlpkey                                           # SSCC
01         *?  N14,csum,gcppos2                  ex=255,37 dlpkey=22,10,21|235                    # GTIN
02         *?  N14,csum,gcppos2                  ex=01,03 req=37                                  # CONTENT
03         *   N14,csum,gcppos2                  ex=01,02,37                                      # MTO GTIN
10          ?  X..20                             req=01,02,03,8006,8026                           # BATCH/LOT
11         *?  N6,yymmd0                         req=01,02,03,8006,8026                           # PROD DATE
12         *?  N6,yymmd0                         req=8020                                         # DUE DATE
13         *?  N6,yymmd0                         req=01,02,03,8006,8026                           # PACK DATE
15         *?  N6,yymmd0                         req=01,02,03,8006,8026                           # BEST BEFORE or BEST BY
16         *?  N6,yymmd0                         req=01,02,03,8006,8026                           # SELL BY
17         *?  N6,yymmd0                         req=01,02,03,255,8006,8026                       # USE BY or EXPIRY
20         *?  N2                                req=01,02,8006,8026                              # VARIANT
21             X..20                             req=01,03,8006 ex=235                            # SERIAL
22             X..20                             req=01                                           # CPV
235            X..28                             req=01                                           # TPX
240         ?  X..30                             req=01,02,8006,8026                              # ADDITIONAL ID
241         ?  X..30                             req=01,02,8006,8026                              # CUST. PART No.
242         ?  N..6                              req=01,02,8006,8026                              # MTO VARIANT
243         ?  X..20                             req=01                                           # PCN
250         ?  X..30                             req=01,8006 req=21                               # SECONDARY SERIAL
251         ?  X..30                             req=01,8006                                      # REF. TO SOURCE
253         ?  N13,csum,gcppos1 [X..17]          dlpkey                                           # GDTI
254            X..20                             req=414                                          # GLN EXTENSION COMPONENT
255         ?  N13,csum,gcppos1 [N..12]          dlpkey ex=01,02,415,8006,8020,8026               # GCN
30          ?  N..8                              req=01,02                                        # VAR. COUNT
3100-3105  *?  N6                                req=01,02 ex=310n                                # NET WEIGHT (kg)
3110-3115  *?  N6                                req=01,02 ex=311n                                # LENGTH (m)
3120-3125  *?  N6                                req=01,02 ex=312n                                # WIDTH (m)
3130-3135  *?  N6                                req=01,02 ex=313n                                # HEIGHT (m)
3140-3145  *?  N6                                req=01,02 ex=314n                                # AREA (m²)
3150-3155  *?  N6                                req=01,02 ex=315n                                # NET VOLUME (l)
3160-3165  *?  N6                                req=01,02 ex=316n                                # NET VOLUME (m³)
3200-3205  *?  N6                                req=01,02 ex=320n                                # NET WEIGHT (lb)
3210-3215  *?  N6                                req=01,02 ex=321n                                # LENGTH (in)
3220-3225  *?  N6                                req=01,02 ex=322n                                # LENGTH (ft)
3230-3235  *?  N6                                req=01,02 ex=323n                                # LENGTH (yd)
3240-3245  *?  N6                                req=01,02 ex=324n                                # WIDTH (in)
3250-3255  *?  N6                                req=01,02 ex=325n                                # WIDTH (ft)
3260-3265  *?  N6                                req=01,02 ex=326n                                # WIDTH (yd)
3270-3275  *?  N6                                req=01,02 ex=327n                                # HEIGHT (in)
3280-3285  *?  N6                                req=01,02 ex=328n                                # HEIGHT (ft)
3290-3295  *?  N6                                req=01,02 ex=329n                                # HEIGHT (yd)
3300-3305  *?  N6                                req=00,01 ex=330n                                # GROSS WEIGHT (kg)
3310-3315  *?  N6                                req=00,01 ex=331n                                # LENGTH (m), log
3320-3325  *?  N6                                req=00,01 ex=332n                                # WIDTH (m), log
3330-3335  *?  N6                                req=00,01 ex=333n                                # HEIGHT (m), log
3340-3345  *?  N6                                req=00,01 ex=334n                                # AREA (m²), log
3350-3355  *?  N6                                req=00,01 ex=335n                                # VOLUME (l), log
3360-3365  *?  N6                                req=00,01 ex=336n                                # VOLUME (m³), log
3370-3375  *?  N6                                req=01    ex=337n                                # KG PER m²
3400-3405  *?  N6                                req=00,01 ex=340n                                # GROSS WEIGHT (lb)
3410-3415  *?  N6                                req=00,01 ex=341n                                # LENGTH (in), log
3420-3425  *?  N6                                req=00,01 ex=342n                                # LENGTH (ft), log
3430-3435  *?  N6                                req=00,01 ex=343n                                # LENGTH (yd), log
3440-3445  *?  N6                                req=00,01 ex=344n                                # WIDTH (in), log
3450-3455  *?  N6                                req=00,01 ex=345n                                # WIDTH (ft), log
3460-3465  *?  N6                                req=00,01 ex=346n                                # WIDTH (yd), log
3470-3475  *?  N6                                req=00,01 ex=347n                                # HEIGHT (in), log
3480-3485  *?  N6                                req=00,01 ex=348n                                # HEIGHT (ft), log
3490-3495  *?  N6                                req=00,01 ex=349n                                # HEIGHT (yd), log
3500-3505  *?  N6                                req=01,02 ex=350n                                # AREA (in²)
3510-3515  *?  N6                                req=01,02 ex=351n                                # AREA (ft²)
3520-3525  *?  N6                                req=01,02 ex=352n                                # AREA (yd²)
3530-3535  *?  N6                                req=00,01 ex=353n                                # AREA (in²), log
3540-3545  *?  N6                                req=00,01 ex=354n                                # AREA (ft²), log
3550-3555  *?  N6                                req=00,01 ex=355n                                # AREA (yd²), log
3560-3565  *?  N6                                req=01,02 ex=356n                                # NET WEIGHT (tr oz)
3570-3575  *?  N6                                req=01,02 ex=357n                                # NET VOLUME (oz)
3600-3605  *?  N6                                req=01,02 ex=360n                                # NET VOLUME (qt (US))
3610-3615  *?  N6                                req=01,02 ex=361n                                # NET VOLUME (gal.)
3620-3625  *?  N6                                req=00,01 ex=362n                                # VOLUME (qt (US)), log
3630-3635  *?  N6                                req=00,01 ex=363n                                # VOLUME (gal (US)), log
3640-3645  *?  N6                                req=01,02 ex=364n                                # NET VOLUME (in³)
3650-3655  *?  N6                                req=01,02 ex=365n                                # NET VOLUME (ft³)
3660-3665  *?  N6                                req=01,02 ex=366n                                # NET VOLUME (yd³)
3670-3675  *?  N6                                req=00,01 ex=367n                                # VOLUME (in³), log
3680-3685  *?  N6                                req=00,01 ex=368n                                # VOLUME (ft³), log
3690-3695  *?  N6                                req=00,01 ex=369n                                # VOLUME (yd³), log
37          ?  N..8                              req=00 req=02,8026                               # COUNT
3900-3909   ?  N..15                             req=255,8020 ex=390n,391n,394n,8111              # AMOUNT
3910-3919   ?  N3,iso4217 N..15                  req=8020 ex=391n                                 # AMOUNT
3920-3929   ?  N..15                             req=01 req=30,31nn,32nn,35nn,36nn ex=392n,393n   # PRICE
3930-3939   ?  N3,iso4217 N..15                  req=30,31nn,32nn,35nn,36nn ex=393n               # PRICE
3940-3943   ?  N4                                req=255 ex=394n,8111                             # PRCNT OFF
3950-3955   ?  N6  req=30,31nn,32nn,35nn,36nn ex=392n,393n,395n,8005                              # PRICE/UoM
400         ?  X..30                                                                              # ORDER NUMBER
401         ?  X..30,gcppos1                     dlpkey                                           # GINC
402         ?  N17,csum,gcppos1                  dlpkey                                           # GSIN
403         ?  X..30                             req=00                                           # ROUTE
410        *?  N13,csum,gcppos1                                                                   # SHIP TO LOC
411        *?  N13,csum,gcppos1                                                                   # BILL TO
412        *?  N13,csum,gcppos1                                                                   # PURCHASE FROM
413        *?  N13,csum,gcppos1                                                                   # SHIP FOR LOC
414        *?  N13,csum,gcppos1                  dlpkey=254|7040                                  # LOC No.
415        *?  N13,csum,gcppos1                  req=8020 dlpkey=8020                             # PAY TO
416        *?  N13,csum,gcppos1                                                                   # PROD/SERV LOC
417        *?  N13,csum,gcppos1                  dlpkey=7040                                      # PARTY
420         ?  X..20                             ex=421                                           # SHIP TO POST
421         ?  N3,iso3166 X..9                   ex=4307                                          # SHIP TO POST
422         ?  N3,iso3166                        req=01,02,8006,8026 ex=426                       # ORIGIN
423         ?  N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166  req=01,02 ex=426   # COUNTRY - INITIAL PROCESS
424         ?  N3,iso3166                        req=01,02 ex=426                                 # COUNTRY - PROCESS
425         ?  N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166  req=01,02 ex=426   # COUNTRY - DISASSEMBLY
426         ?  N3,iso3166                        req=01,02                                        # COUNTRY - FULL PROCESS
427         ?  X..3                              req=01,02 req=422                                # ORIGIN SUBDIVISION
4300        ?  X..35,pcenc                       req=00                                           # SHIP TO COMP
4301        ?  X..35,pcenc                       req=00                                           # SHIP TO NAME
4302        ?  X..70,pcenc                       req=00                                           # SHIP TO ADD1
4303        ?  X..70,pcenc                       req=4302                                         # SHIP TO ADD2
4304        ?  X..70,pcenc                       req=00                                           # SHIP TO SUB
4305        ?  X..70,pcenc                       req=00                                           # SHIP TO LOC
4306        ?  X..70,pcenc                       req=00                                           # SHIP TO REG
4307        ?  X2,iso3166alpha2                  req=00                                           # SHIP TO COUNTRY
4308        ?  X..30                             req=00                                           # SHIP TO PHONE
4309        ?  N10,latitude N10,longitude        req=00                                           # SHIP TO GEO
4310        ?  X..35,pcenc                       req=00                                           # RTN TO COMP
4311        ?  X..35,pcenc                       req=00                                           # RTN TO NAME
4312        ?  X..70,pcenc                       req=00                                           # RTN TO ADD1
4313        ?  X..70,pcenc                       req=4312                                         # RTN TO ADD2
4314        ?  X..70,pcenc                       req=00                                           # RTN TO SUB
4315        ?  X..70,pcenc                       req=00                                           # RTN TO LOC
4316        ?  X..70,pcenc                       req=00                                           # RTN TO REG
4317        ?  X2,iso3166alpha2                  req=00                                           # RTN TO COUNTRY
4318        ?  X..20                             req=00                                           # RTN TO POST
4319        ?  X..30                             req=00                                           # RTN TO PHONE
4320        ?  X..35,pcenc                       req=00                                           # SRV DESCRIPTION
4321        ?  N1,yesno                          req=00                                           # DANGEROUS GOODS
4322        ?  N1,yesno                          req=00                                           # AUTH TO LEAVE
4323        ?  N1,yesno                          req=00                                           # SIG REQUIRED
4324        ?  N6,yymmd0 N4,hhmi                 req=00                                           # NOT BEF DEL DT
4325        ?  N6,yymmd0 N4,hhmi                 req=00                                           # NOT AFT DEL DT
4326        ?  N6,yymmdd                         req=00                                           # REL DATE
4330        ?  N6 [X1],hyphen                    req=00 ex=4331                                   # MAX TEMP F.
4331        ?  N6 [X1],hyphen                    req=00 ex=4330                                   # MAX TEMP C.
4332        ?  N6 [X1],hyphen                    req=00 ex=4333                                   # MIN TEMP F.
4333        ?  N6 [X1],hyphen                    req=00 ex=4332                                   # MIN TEMP C.
7001        ?  N13                               req=01,02,8006,8026                              # NSN
7002        ?  X..30                             req=01,02                                        # MEAT CUT
7003        ?  N6,yymmdd N4,hhmi                 req=01,02                                        # EXPIRY TIME
7004        ?  N..4                              req=01+10                                        # ACTIVE POTENCY
7005        ?  X..12                             req=01,02                                        # CATCH AREA
7006        ?  N6,yymmdd                         req=01,02                                        # FIRST FREEZE DATE
7007        ?  N6,yymmdd [N6],yymmdd             req=01,02                                        # HARVEST DATE
7008        ?  X..3                              req=01,02                                        # AQUATIC SPECIES
7009        ?  X..10                             req=01,02                                        # FISHING GEAR TYPE
7010        ?  X..2                              req=01,02                                        # PROD METHOD
7011        ?  N6,yymmdd [N4],hhmi               req=01,02                                        # TEST BY DATE
7020        ?  X..20                             req=01,8006 req=416                              # REFURB LOT
7021        ?  X..20                             req=01,8006                                      # FUNC STAT
7022        ?  X..20                             req=7021                                         # REV STAT
7023        ?  X..30,gcppos1                                                                      # GIAI - ASSEMBLY
7030        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 0
7031        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 1
7032        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 2
7033        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 3
7034        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 4
7035        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 5
7036        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 6
7037        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 7
7038        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 8
7039        ?  N3,iso3166999 X..27               req=01,02                                        # PROCESSOR # 9
7040           N1 X1 X1 X1,importeridx                                                            # UIC+EXT
7041           X..4,packagetype                  req=00                                           # UFRGT UNIT TYPE
710         ?  X..20                             req=01                                           # NHRN PZN
711         ?  X..20                             req=01                                           # NHRN CIP
712         ?  X..20                             req=01                                           # NHRN CN
713         ?  X..20                             req=01                                           # NHRN DRN
714         ?  X..20                             req=01                                           # NHRN AIM
715         ?  X..20                             req=01                                           # NHRN NDC
716         ?  X..20                             req=01                                           # NHRN AIC
717         ?  X..20                             req=01                                           # NHRN SRN
7230        ?  X2 X..28                          req=01,8004                                      # CERT # 1
7231        ?  X2 X..28                          req=01,8004                                      # CERT # 2
7232        ?  X2 X..28                          req=01,8004                                      # CERT # 3
7233        ?  X2 X..28                          req=01,8004                                      # CERT # 4
7234        ?  X2 X..28                          req=01,8004                                      # CERT # 5
7235        ?  X2 X..28                          req=01,8004                                      # CERT # 6
7236        ?  X2 X..28                          req=01,8004                                      # CERT # 7
7237        ?  X2 X..28                          req=01,8004                                      # CERT # 8
7238        ?  X2 X..28                          req=01,8004                                      # CERT # 9
7239        ?  X2 X..28                          req=01,8004                                      # CERT # 10
7240        ?  X..20                             req=01,8006                                      # PROTOCOL
7241        ?  N2,mediatype                      req=8017,8018                                    # AIDC MEDIA TYPE
7242        ?  X..25                             req=8017,8018                                    # VCN
7250        ?  N8,yyyymmdd                       req=8018 ex=7251                                 # DOB
7251        ?  N8,yyyymmdd N4,hhmi               req=8018 ex=7250                                 # DOB TIME
7252        ?  N1,iso5218                        req=8018                                         # BIO SEX
7253        ?  X..40,pcenc                       req=8017,8018 ex=7256,7259                       # FAMILY NAME
7254        ?  X..40,pcenc                       req=8017,8018 ex=7256,7259                       # GIVEN NAME
7255        ?  X..10                             req=8017,8018 ex=7256,7259                       # SUFFIX
7256        ?  X..90,pcenc                       req=8017,8018                                    # FULL NAME
7257        ?  X..70,pcenc                       req=8018                                         # PERSON ADDR
7258        ?  X3,posinseqslash                  req=8018+7259                                    # BIRTH SEQUENCE
7259        ?  X..40,pcenc                       req=8018 ex=7256                                 # BABY
8001        ?  N4,nonzero N5,nonzero N3,nonzero N1,winding N1  req=01                             # DIMENSIONS
8002        ?  X..20                                                                              # CMT No.
8003        ?  N1,zero N13,csum,gcppos1 [X..16]  dlpkey                                           # GRAI
8004        ?  X..30,gcppos1                     dlpkey=7040                                      # GIAI
8005        ?  N6                                req=01,02                                        # PRICE PER UNIT
8006        ?  N14,csum,gcppos2 N4,pieceoftotal  ex=01,37 dlpkey=22,10,21                         # ITIP
8007        ?  X..34,iban                        req=415                                          # IBAN
8008        ?  N6,yymmdd N2,hh [N2],mi [N2],ss   req=01,02                                        # PROD TIME
8009        ?  X..50                             req=00,01                                        # OPTSEN
8010        ?  Y..30,gcppos1                     dlpkey=8011                                      # CPID
8011           N..12,nozeroprefix                req=8010                                         # CPID SERIAL
8012        ?  X..20                             req=01,8006                                      # VERSION
8013        ?  X..25,csumalpha,gcppos1           dlpkey                                           # GMN
8014           X..25,csumalpha,gcppos1,hasnondigit  req=01                                        # MUDI
8017        ?  N18,csum,gcppos1                  ex=8018 dlpkey=8019                              # GSRN - PROVIDER
8018        ?  N18,csum,gcppos1                  ex=8017 dlpkey=8019                              # GSRN - RECIPIENT
8019           N..10                             req=8017,8018                                    # SRIN
8020           X..25                             req=415                                          # REF No.
8026        ?  N14,csum,gcppos2 N4,pieceoftotal  req=37 ex=02,8006                                # ITIP CONTENT
8030        ?  Z..90  req=00,01+21,253,255,8003,8004,8006+21,8010+8011,8017,8018                  # DIGSIG
8040           N15                               req=01+21                                        # IMEI
8041           N15                               req=01+21+8040                                   # IMEI2
8042           N32                               req=01+21+8040                                   # ESIM
8043           N18 [N..2]                        req=01+21+8040                                   # PSIM
8110        ?  X..70,couponcode
8111        ?  N4                                req=255                                          # POINTS
8112        ?  X..70,couponposoffer
8200           X..70                             req=01                                           # PRODUCT URL
90          ?  X..30                                                                              # INTERNAL
91-99       ?  X..90                                                                              # INTERNAL
`;

const FLAG_CHARS = /^[*!?"$%&'()+,\-./:;<=>@[\\\]^_`{|}~]+$/;
const COMPONENT_RE = /^(\[?)([NXYZ])(\d*)(?:\.\.(\d+))?(\]?)((?:,\w+)*)$/;

function parseComponent(token: string): AiComponent | undefined {
  const m = COMPONENT_RE.exec(token);
  if (m === null) return undefined;
  const [, open = "", cset = "N", fixed = "", max = "", close = "", linters = ""] = m;
  if ((open === "[") !== (close === "]")) return undefined;
  const isRange = max !== "";
  const hi = isRange ? Number(max) : Number(fixed);
  const lo = isRange ? (fixed === "" ? 1 : Number(fixed)) : hi;
  return {
    cset: cset as CharSet,
    min: lo,
    max: hi,
    optional: open === "[",
    linters: linters === "" ? [] : linters.slice(1).split(","),
  };
}

function expandRange(spec: string): string[] {
  const [from = "", to] = spec.split("-");
  if (to === undefined) return [from];
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, "0"));
  return out;
}

function parseDictionary(text: string): Map<string, AiEntry> {
  const table = new Map<string, AiEntry>();
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const title = hash >= 0 ? raw.slice(hash + 1).trim() : "";
    const tokens = (hash >= 0 ? raw.slice(0, hash) : raw)
      .trim()
      .split(/\s+/)
      .filter((t) => t !== "");
    const aiSpec = tokens.shift();
    if (aiSpec === undefined) continue;
    let flags = "";
    if (tokens[0] !== undefined && FLAG_CHARS.test(tokens[0])) flags = tokens.shift() ?? "";
    const components: AiComponent[] = [];
    const requires: string[][][] = [];
    const excludes: string[] = [];
    let dlQualifiers: string[][] | undefined;
    for (const token of tokens) {
      const component = parseComponent(token);
      if (component !== undefined) components.push(component);
      else if (token.startsWith("req="))
        requires.push(
          token
            .slice(4)
            .split(",")
            .map((alt) => alt.split("+")),
        );
      else if (token.startsWith("ex=")) excludes.push(...token.slice(3).split(","));
      else if (token === "dlpkey") dlQualifiers = [[]];
      else if (token.startsWith("dlpkey="))
        dlQualifiers = token
          .slice(7)
          .split("|")
          .map((seq) => seq.split(","));
      else throw new Error(`GS1 syntax dictionary: cannot read "${token}" for AI ${aiSpec}`);
    }
    for (const ai of expandRange(aiSpec)) {
      table.set(ai, {
        ai,
        title,
        fnc1: !flags.includes("*"),
        dlAttribute: flags.includes("?"),
        components,
        requires,
        excludes,
        dlQualifiers,
        unknown: false,
      });
    }
  }
  return table;
}

let cachedTable: Map<string, AiEntry> | undefined;
let cachedAiLength: Map<string, number> | undefined;

/** Every AI of the dictionary, keyed by AI. */
export function aiTable(): ReadonlyMap<string, AiEntry> {
  cachedTable ??= parseDictionary(DICTIONARY);
  return cachedTable;
}

/** AI length (2, 3 or 4) shared by every AI that starts with the given two digits, if any AI does. */
export function aiLengthByPrefix(prefix2: string): number | undefined {
  if (cachedAiLength === undefined) {
    cachedAiLength = new Map();
    for (const ai of aiTable().keys()) cachedAiLength.set(ai.slice(0, 2), ai.length);
  }
  return cachedAiLength.get(prefix2.slice(0, 2));
}

/**
 * Value lengths of the "predefined length" AI prefixes of the GS1 General
 * Specifications (figure 5.10.1-2): AIs starting with these two digits never
 * need an FNC1 separator, even when not (yet) in the dictionary.
 */
export const PREDEFINED_VALUE_LENGTH: Readonly<Record<string, number>> = {
  "00": 18,
  "01": 14,
  "02": 14,
  "03": 14,
  "04": 16,
  "11": 6,
  "12": 6,
  "13": 6,
  "14": 6,
  "15": 6,
  "16": 6,
  "17": 6,
  "18": 6,
  "19": 6,
  "20": 2,
  "31": 6,
  "32": 6,
  "33": 6,
  "34": 6,
  "35": 6,
  "36": 6,
  "41": 13,
};

function unknownEntry(ai: string): AiEntry {
  const fixed = PREDEFINED_VALUE_LENGTH[ai.slice(0, 2)];
  return {
    ai,
    title: "UNKNOWN",
    fnc1: fixed === undefined,
    dlAttribute: true,
    components: [{ cset: "X", min: fixed ?? 1, max: fixed ?? 90, optional: false, linters: [] }],
    requires: [],
    excludes: [],
    dlQualifiers: undefined,
    unknown: true,
  };
}

const DIGITS = /^\d+$/;

/**
 * The entry of an AI given exactly (bracketed form, Digital Link path or
 * query). Returns undefined for a malformed or unknown AI, and for an AI that
 * would clash with a known one (a known AI is its prefix, or it is the prefix
 * of a known AI).
 */
export function lookupAi(ai: string, options: AiLookupOptions = {}): AiEntry | undefined {
  if (ai.length < 2 || ai.length > 4 || !DIGITS.test(ai)) return undefined;
  const table = aiTable();
  const known = table.get(ai);
  if (known !== undefined) return known;
  for (let len = 2; len < ai.length; len++) if (table.has(ai.slice(0, len))) return undefined;
  if (options.permitUnknownAis !== true) return undefined;
  const lengthByPrefix = aiLengthByPrefix(ai);
  if (lengthByPrefix !== undefined && lengthByPrefix !== ai.length) return undefined;
  return unknownEntry(ai);
}

/**
 * The entry of the AI that starts `data` (raw or normalised element strings,
 * where nothing marks where the AI ends). An unknown AI is only accepted when
 * its prefix fixes its length.
 */
export function aiAtStartOf(data: string, options: AiLookupOptions = {}): AiEntry | undefined {
  const table = aiTable();
  for (let len = 2; len <= 4 && len <= data.length; len++) {
    const known = table.get(data.slice(0, len));
    if (known !== undefined) return known;
  }
  if (options.permitUnknownAis !== true || !DIGITS.test(data.slice(0, 2)) || data.length < 2) return undefined;
  const len = aiLengthByPrefix(data);
  if (len === undefined || data.length < len || !DIGITS.test(data.slice(0, len))) return undefined;
  return unknownEntry(data.slice(0, len));
}

/** Shortest and longest value an AI accepts (sum over its components). */
export function valueLengthRange(entry: AiEntry): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const c of entry.components) {
    if (!c.optional) min += c.min;
    max += c.max;
  }
  return { min, max };
}

/** True when `ai` matches a dictionary pattern such as `31nn` or `392n` (or equals it). */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  const digits = pattern.replace(/n+$/, "");
  return ai.length === pattern.length && ai.startsWith(digits);
}

/**
 * The decimal reading of a measure or amount AI (310n-369n, 390n-395n: the
 * last AI digit is the number of decimals; 391n/393n start with an ISO 4217
 * currency). Returns undefined for other AIs.
 */
export function decimalValue(ai: string, value: string): { amount: string; currency?: string } | undefined {
  if (!/^(3[1-6]\d\d|39[0-5]\d)$/.test(ai)) return undefined;
  const decimals = Number(ai.slice(3));
  const withCurrency = ai.startsWith("391") || ai.startsWith("393");
  const digits = withCurrency ? value.slice(3) : value;
  if (!DIGITS.test(digits)) return undefined;
  const padded = digits.padStart(decimals + 1, "0");
  const int = padded.slice(0, padded.length - decimals).replace(/^0+(?=\d)/, "");
  const amount = decimals === 0 ? int : `${int}.${padded.slice(padded.length - decimals)}`;
  return withCurrency ? { amount, currency: value.slice(0, 3) } : { amount };
}

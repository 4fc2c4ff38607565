/**
 * GS1 Core Business Vocabulary (CBV) 2.0 standard values and the three ways
 * EPCIS writes them: bare words in JSON-LD (`shipping`), CBV Web URIs
 * (`https://ref.gs1.org/cbv/BizStep-shipping`) and the EPCIS 1.x URNs
 * (`urn:epcglobal:cbv:bizstep:shipping`). Also the namespaces every EPCIS 2.0
 * document gets from the standard JSON-LD context.
 */

/** CBV 2.0 business steps (CBV §7.1). */
export const CBV_BIZ_STEPS: ReadonlySet<string> = new Set([
  "accepting",
  "arriving",
  "assembling",
  "collecting",
  "commissioning",
  "consigning",
  "creating_class_instance",
  "cycle_counting",
  "decommissioning",
  "departing",
  "destroying",
  "disassembling",
  "dispensing",
  "encoding",
  "entering_exiting",
  "holding",
  "inspecting",
  "installing",
  "killing",
  "loading",
  "other",
  "packing",
  "picking",
  "receiving",
  "removing",
  "repackaging",
  "repairing",
  "replacing",
  "reserving",
  "retail_selling",
  "sampling",
  "sensor_reporting",
  "shipping",
  "staging_outbound",
  "stock_taking",
  "stocking",
  "storing",
  "transporting",
  "unloading",
  "unpacking",
  "void_shipping",
]);

/** CBV 2.0 dispositions (CBV §7.2), also the values of `persistentDisposition`. */
export const CBV_DISPOSITIONS: ReadonlySet<string> = new Set([
  "active",
  "available",
  "completeness_inferred",
  "completeness_verified",
  "conformant",
  "container_closed",
  "container_open",
  "damaged",
  "destroyed",
  "dispensed",
  "disposed",
  "encoded",
  "expired",
  "in_progress",
  "in_transit",
  "inactive",
  "mismatch_class",
  "mismatch_instance",
  "mismatch_quantity",
  "needs_replacement",
  "no_pedigree_match",
  "non_conformant",
  "non_sellable_other",
  "partially_dispensed",
  "recalled",
  "reserved",
  "retail_sold",
  "returned",
  "sellable_accessible",
  "sellable_not_accessible",
  "stolen",
  "unavailable",
  "unknown",
]);

/** CBV 2.0 business transaction types (CBV §7.3). */
export const CBV_BIZ_TRANSACTION_TYPES: ReadonlySet<string> = new Set([
  "bol",
  "cert",
  "desadv",
  "inv",
  "pedigree",
  "po",
  "poc",
  "prodorder",
  "recadv",
  "rma",
  "testprd",
  "testres",
  "upevt",
]);

/** CBV 2.0 source/destination types (CBV §7.4). */
export const CBV_SOURCE_DEST_TYPES: ReadonlySet<string> = new Set(["owning_party", "possessing_party", "location"]);

/** CBV 2.0 error reasons (CBV §7.5). */
export const CBV_ERROR_REASONS: ReadonlySet<string> = new Set(["did_not_occur", "incorrect_data"]);

/** CBV 2.0 sensor components (CBV §7.6). */
export const CBV_COMPONENTS: ReadonlySet<string> = new Set([
  "x",
  "y",
  "z",
  "axial_distance",
  "azimuth",
  "height",
  "spherical_radius",
  "polar_angle",
  "elevation_angle",
  "easting",
  "northing",
  "latitude",
  "longitude",
  "altitude",
]);

/** GS1 Web Vocabulary measurement types usable bare in `sensorReport.type`. */
export const GS1_MEASUREMENT_TYPES: ReadonlySet<string> = new Set([
  "AbsoluteHumidity",
  "AbsorbedDose",
  "AbsorbedDoseRate",
  "Acceleration",
  "Radioactivity",
  "Altitude",
  "AmountOfSubstance",
  "AmountOfSubstancePerUnitVolume",
  "Angle",
  "AngularAcceleration",
  "AngularMomentum",
  "AngularVelocity",
  "Area",
  "Capacitance",
  "Conductance",
  "Conductivity",
  "Count",
  "Density",
  "Dimensionless",
  "DoseEquivalent",
  "DoseEquivalentRate",
  "DynamicViscosity",
  "ElectricCharge",
  "ElectricCurrent",
  "ElectricCurrentDensity",
  "ElectricFieldStrength",
  "Energy",
  "Exposure",
  "Force",
  "Frequency",
  "Illuminance",
  "Inductance",
  "Irradiance",
  "KinematicViscosity",
  "Length",
  "LinearMomentum",
  "Luminance",
  "LuminousFlux",
  "LuminousIntensity",
  "MagneticFlux",
  "MagneticFluxDensity",
  "MagneticVectorPotential",
  "Mass",
  "MassConcentration",
  "MassFlowRate",
  "MassPerAreaTime",
  "MemoryCapacity",
  "MolalityOfSolute",
  "MolarEnergy",
  "MolarMass",
  "MolarVolume",
  "Power",
  "Pressure",
  "RadiantFlux",
  "RadiantIntensity",
  "RelativeHumidity",
  "Resistance",
  "Resistivity",
  "SolidAngle",
  "SpecificVolume",
  "Speed",
  "SurfaceDensity",
  "SurfaceTension",
  "Temperature",
  "Time",
  "Torque",
  "Voltage",
  "Volume",
  "VolumeFlowRate",
  "VolumeFraction",
  "VolumetricFlux",
  "Wavenumber",
]);

/** GS1 Web Vocabulary sensor alert types usable bare in `sensorReport.exception`. */
export const GS1_SENSOR_ALERTS: ReadonlySet<string> = new Set(["ALARM_CONDITION", "ERROR_CONDITION"]);

/** The CBV vocabularies that have URN and Web URI forms. */
export type CbvVocabulary = "BizStep" | "Disp" | "BTT" | "SDT" | "ER";

/** Per vocabulary: its standard terms, its Web URI prefix and its EPCIS 1.x URN prefix. */
export const CBV_FORMS: Readonly<Record<CbvVocabulary, { terms: ReadonlySet<string>; web: string; urn: string }>> = {
  BizStep: { terms: CBV_BIZ_STEPS, web: "https://ref.gs1.org/cbv/BizStep-", urn: "urn:epcglobal:cbv:bizstep:" },
  Disp: { terms: CBV_DISPOSITIONS, web: "https://ref.gs1.org/cbv/Disp-", urn: "urn:epcglobal:cbv:disp:" },
  BTT: { terms: CBV_BIZ_TRANSACTION_TYPES, web: "https://ref.gs1.org/cbv/BTT-", urn: "urn:epcglobal:cbv:btt:" },
  SDT: { terms: CBV_SOURCE_DEST_TYPES, web: "https://ref.gs1.org/cbv/SDT-", urn: "urn:epcglobal:cbv:sdt:" },
  ER: { terms: CBV_ERROR_REASONS, web: "https://ref.gs1.org/cbv/ER-", urn: "urn:epcglobal:cbv:er:" },
};

/**
 * The standard term a CBV value names, whatever its form (bare, `cbv:` CURIE,
 * Web URI or URN), or undefined when it is not a standard term of `vocabulary`.
 */
export function standardCbvTerm(vocabulary: CbvVocabulary, value: string): string | undefined {
  const { terms, web, urn } = CBV_FORMS[vocabulary];
  let term: string;
  if (value.startsWith(web)) term = value.slice(web.length);
  else if (value.startsWith(urn)) term = value.slice(urn.length);
  else if (value.startsWith(`cbv:${vocabulary}-`)) term = value.slice(`cbv:${vocabulary}-`.length);
  else term = value;
  return terms.has(term) ? term : undefined;
}

/** Namespace IRIs that never hold user vocabulary (GS1's own CBV/EPCIS namespaces). */
export const RESERVED_VOCABULARY_PREFIXES: readonly string[] = [
  "urn:epcglobal:cbv:",
  "https://ref.gs1.org/cbv/",
  "http://ref.gs1.org/cbv/",
  "https://ns.gs1.org/cbv/",
  "http://ns.gs1.org/cbv/",
  "https://ref.gs1.org/epcis/",
];

/** Prefixes the standard EPCIS 2.0 JSON-LD context declares (as in the GS1 context shipped with the schema). */
export const STANDARD_CONTEXT_PREFIXES: Readonly<Record<string, string>> = {
  epcis: "https://ref.gs1.org/epcis/",
  cbv: "https://ref.gs1.org/cbv/",
  cbvmda: "urn:epcglobal:cbv:mda:",
  gs1: "https://gs1.org/voc/",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  dcterms: "http://purl.org/dc/terms/",
};

/** The URL of the standard EPCIS 2.0 JSON-LD context (any of its published spellings ends like this). */
export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/**
 * The prefix → namespace map a document's `@context` declares: the standard
 * EPCIS context prefixes plus every inline term whose value is an absolute IRI
 * (`{"example": "https://ns.example.com/epcis/"}`). Remote contexts other than
 * the EPCIS one cannot be fetched here; pass their prefixes in `known`.
 */
export function declaredPrefixes(context: unknown, known: Readonly<Record<string, string>> = {}): Map<string, string> {
  const out = new Map<string, string>(Object.entries(STANDARD_CONTEXT_PREFIXES));
  for (const [p, ns] of Object.entries(known)) out.set(p, ns);
  const items = Array.isArray(context) ? context : [context];
  for (const item of items) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
    for (const [term, value] of Object.entries(item as Record<string, unknown>)) {
      if (term.startsWith("@") || term.includes(":")) continue;
      if (typeof value === "string" && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) out.set(term, value);
    }
  }
  return out;
}

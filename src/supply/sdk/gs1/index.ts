/**
 * GS1 identifiers for medicine provenance: element strings, scan data, GS1
 * Digital Link URIs and EPC URIs, validated against the GS1 Barcode Syntax
 * Dictionary and normalised to one canonical key ({@link parseScan}).
 *
 * Library decision: no npm package was good enough. GS1's own Barcode Syntax
 * Engine (the reference) has a JavaScript/WASM build but it is not published
 * on npm (building it needs Emscripten); `digital-link.js` (CommonJS, no
 * types, grammar-only checks, slow ABNF parser) agreed with 87 of 118 GS1
 * Digital Link vectors; `gs1-barcode-parser-mod` (BarcodeParser) accepts wrong
 * check digits and turns month 13 into January; `epc-tds` handles binary EPC
 * tag encodings, not pure-identity URIs. This module embeds GS1's dictionary
 * and implements the parsing and syntax tests itself.
 */
export * from "./aiTable.ts";
export * from "../../../kernel/gs1CheckDigit.ts";
export * from "./codeLists.ts";
export * from "./digitalLink.ts";
export * from "./elementString.ts";
export * from "./epcUrn.ts";
export * from "./gs1Errors.ts";
export * from "./linters.ts";
export * from "./scanData.ts";
export * from "./unitKey.ts";

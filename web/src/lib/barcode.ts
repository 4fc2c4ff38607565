/**
 * Barcode reading in the browser: the Barcode Detection API, or where the
 * browser lacks it (desktop Chromium, Firefox, Safari) the `barcode-detector`
 * ponyfill (ZXing-C++ compiled to WebAssembly). The .wasm file is bundled
 * and served by the node itself: nothing is fetched from a CDN. Loaded only
 * when a page starts scanning.
 */
import type { DetectedBarcode } from "barcode-detector/ponyfill";

/** Formats medicine packs and patient cards use. */
export const SCAN_FORMATS = ["data_matrix", "qr_code", "code_128", "databar_expanded"] as const;

interface Detector {
  detect(image: ImageBitmapSource): Promise<DetectedBarcode[]>;
}

let detector: Promise<Detector> | undefined;

/** The shared detector (created on first use). */
export function barcodeDetector(): Promise<Detector> {
  detector ??= (async () => {
    const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
      import("barcode-detector/ponyfill"),
      import("zxing-wasm/reader/zxing_reader.wasm?url"),
    ]);
    prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
    });
    return new BarcodeDetector({ formats: [...SCAN_FORMATS] }) as Detector;
  })();
  return detector;
}

/** The text of the first barcode in `image`, or null when none is found. */
export async function readBarcode(image: ImageBitmapSource): Promise<string | null> {
  const found = await (await barcodeDetector()).detect(image);
  return found[0]?.rawValue ?? null;
}

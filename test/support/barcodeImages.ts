/**
 * Barcode pictures for the scanning tests, made with ZXing-C++'s writer (the
 * `zxing-wasm` package whose reader the portal uses): a PNG for "scan from a
 * photo", and a Y4M video for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`), so the camera path runs for real.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { prepareZXingModule, writeBarcode } from "zxing-wasm/writer";

let prepared = false;

function prepare(): void {
  if (prepared) return;
  // the wasm comes from node_modules (the default would fetch it from a CDN)
  const wasm = readFileSync(createRequire(import.meta.url).resolve("zxing-wasm/writer/zxing_writer.wasm"));
  prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
  });
  prepared = true;
}

/** Encodes `text` as a `format` symbol; returns its PNG (scaled) and its one-module-per-pixel bitmap. */
export async function barcode(
  text: string,
  format: "DataMatrix" | "QRCode",
  scale = 8,
): Promise<{ png: Buffer; symbol: { data: Uint8ClampedArray; width: number; height: number } }> {
  prepare();
  const r = await writeBarcode(text, { format, scale, withQuietZones: true });
  if (r.error !== "" || r.image === null) throw new Error(`cannot encode the barcode: ${r.error}`);
  const one = await writeBarcode(text, { format, scale: 1, withQuietZones: false });
  return { png: Buffer.from(await r.image.arrayBuffer()), symbol: one.symbol };
}

/**
 * Writes a 640x480 grayscale Y4M video showing `symbol` (each module `module` pixels) centred on white; returns `file`.
 */
export function barcodeVideo(
  symbol: { data: Uint8ClampedArray; width: number; height: number },
  file: string,
  module = 12,
): string {
  const W = 640;
  const H = 480;
  const y = Buffer.alloc(W * H, 255);
  const x0 = Math.floor((W - symbol.width * module) / 2);
  const y0 = Math.floor((H - symbol.height * module) / 2);
  for (let row = 0; row < symbol.height; row++) {
    for (let col = 0; col < symbol.width; col++) {
      const v = symbol.data[row * symbol.width + col] ?? 255;
      for (let dy = 0; dy < module; dy++)
        y.fill(
          v,
          (y0 + row * module + dy) * W + x0 + col * module,
          (y0 + row * module + dy) * W + x0 + (col + 1) * module,
        );
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return file;
}

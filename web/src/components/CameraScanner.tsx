/**
 * Scan with the camera (rear camera preferred) or from a photo. The first
 * code read is handed to `onResult` and the camera stops. Camera frames stay
 * in the browser: decoding runs locally (WebAssembly).
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { readBarcode } from "../lib/barcode.ts";
import { errorMessage } from "../lib/format.ts";
import { Alert } from "./Alert.tsx";

/** Camera and photo scanning. */
export function CameraScanner({ onResult, label }: { onResult: (text: string) => void; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [active, setActive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const fileId = useId();
  const done = useRef(onResult);
  useLayoutEffect(() => {
    done.current = onResult;
  });

  useEffect(() => {
    if (!active) return undefined;
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: "environment" } },
          audio: false,
        });
        const v = video.current;
        if (v === null || stopped) {
          stop();
          return;
        }
        v.srcObject = stream;
        await v.play();
        setStatus("Point the camera at the code…");
        const tick = async (): Promise<void> => {
          if (stopped) return;
          if (v.readyState >= 2) {
            const text = await readBarcode(v).catch(() => null);
            if (text !== null && !stopped) {
              stop();
              setActive(false);
              setStatus("");
              done.current(text);
              return;
            }
          }
          timer = window.setTimeout(() => void tick(), 200);
        };
        void tick();
      } catch (err) {
        setError(`The camera could not be used: ${errorMessage(err)}. You can paste the code or use a photo instead.`);
        setActive(false);
      }
    })();
    return stop;
  }, [active]);

  const fromFile = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    setError(null);
    setStatus("Reading the photo…");
    try {
      const bitmap = await createImageBitmap(file);
      const text = await readBarcode(bitmap);
      bitmap.close();
      setStatus("");
      if (text === null) setError("No code found in this photo. Try a sharper, closer picture.");
      else done.current(text);
    } catch (err) {
      setStatus("");
      setError(`The photo could not be read: ${errorMessage(err)}`);
    }
  };

  return (
    <div className="stack">
      <div className="row">
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setError(null);
            setActive((a) => !a);
          }}
          aria-pressed={active}
        >
          {active ? "Stop camera" : `Scan ${label} with the camera`}
        </button>
        <label htmlFor={fileId} className="button secondary" style={{ marginBottom: 0 }}>
          Scan from a photo
        </label>
        <input
          id={fileId}
          type="file"
          accept="image/*"
          className="visually-hidden"
          onChange={(e) => void fromFile(e.target.files?.[0])}
        />
      </div>
      {active ? (
        <div className="video-box">
          <video ref={video} muted playsInline aria-label="Camera preview" />
        </div>
      ) : null}
      {status === "" ? null : (
        <p role="status" className="muted">
          {status}
        </p>
      )}
      {error === null ? null : (
        <Alert kind="warn">
          <p>{error}</p>
        </Alert>
      )}
    </div>
  );
}

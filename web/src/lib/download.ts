/** Saves text as a file the user downloads (nothing is uploaded). */
export function downloadText(filename: string, text: string, type = "application/fhir+json"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

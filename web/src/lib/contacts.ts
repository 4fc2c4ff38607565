/** The user's own names for addresses (kept in this browser only, never sent): "Dr Reader" instead of 0x12ab…. */
const KEY = "medchain.contacts.v1";

function load(): Record<string, string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    return typeof v === "object" && v !== null ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The name given to `address`, if any. */
export function contactName(address: string): string | undefined {
  return load()[address.toLowerCase()];
}

/** Names `address` (empty name: forget it). */
export function setContactName(address: string, name: string): void {
  const all = load();
  if (name.trim() === "") delete all[address.toLowerCase()];
  else all[address.toLowerCase()] = name.trim().slice(0, 64);
  localStorage.setItem(KEY, JSON.stringify(all));
}

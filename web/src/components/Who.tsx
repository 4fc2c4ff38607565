/**
 * An address as people read it: the user's own name for it (if any), "you", and the short address (the full one on
 * hover).
 */
import { contactName } from "../lib/contacts.ts";
import { shortAddress } from "../lib/format.ts";
import { useSession } from "../lib/session.tsx";

/** Shows who an address is. */
export function Who({ address }: { address: string }) {
  const { identity } = useSession();
  const me = identity?.address === address.toLowerCase();
  const name = me ? "you" : contactName(address);
  return (
    <span title={address}>
      {name === undefined ? null : <strong>{name} </strong>}
      <span className="mono">{shortAddress(address)}</span>
    </span>
  );
}

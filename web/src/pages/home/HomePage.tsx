/** The portal's start page: who can do what here. */
import { Link } from "react-router";

const TILES: Array<[string, string, string]> = [
  [
    "/patient",
    "My record",
    "Your records from every provider in one encrypted timeline, charts of your vital signs and labs, who " +
      "may see what, and who looked.",
  ],
  [
    "/clinician",
    "Clinician",
    "Open a patient's shared record, add records with her consent, or open emergency access with a stated reason.",
  ],
  [
    "/medicine",
    "Medicine check",
    "Scan or paste the code on a medicine pack: is it genuine, recalled, expired or a copy? See its journey " +
      "from the maker.",
  ],
  [
    "/partner",
    "Supply partners",
    "Manufacturers, wholesalers and pharmacies: capture EPCIS events, see your anchors with their proofs, and recalls.",
  ],
];

/** Home. */
export function HomePage() {
  return (
    <>
      <h1>medchain</h1>
      <p className="page-intro">
        Patient-owned health records and medicine provenance. Records are encrypted in your browser before they leave
        it; the ledger holds only commitments and permissions.
      </p>
      <div className="grid">
        {TILES.map(([to, title, text]) => (
          <Link key={to} to={to} className="card home-tile">
            <h2>{title}</h2>
            <p>{text}</p>
          </Link>
        ))}
      </div>
    </>
  );
}

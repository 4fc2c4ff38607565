/** The portal's frame (skip link, header, navigation, who is signed in) and its pages. */
import { lazy, Suspense, useEffect } from "react";
import { NavLink, Route, Routes, useLocation } from "react-router";
import { useSession } from "./lib/session.tsx";
import { shortAddress } from "./lib/format.ts";
import { HomePage } from "./pages/home/HomePage.tsx";

const PatientPage = lazy(() => import("./pages/patient/PatientPage.tsx"));
const ClinicianPage = lazy(() => import("./pages/clinician/ClinicianPage.tsx"));
const MedicinePage = lazy(() => import("./pages/medicine/MedicinePage.tsx"));
const PartnerPage = lazy(() => import("./pages/supply/PartnerPage.tsx"));

const NAV: Array<[string, string]> = [
  ["/patient", "My record"],
  ["/clinician", "Clinician"],
  ["/medicine", "Medicine check"],
  ["/partner", "Supply partners"],
];

const TITLES: Record<string, string> = {
  "/": "medchain",
  "/patient": "My record",
  "/clinician": "Clinician",
  "/medicine": "Medicine check",
  "/partner": "Supply partners",
};

function WhoAmI() {
  const { identity, lock } = useSession();
  if (identity === null) return null;
  return (
    <div className="whoami">
      <span>
        Signed in as <strong>{identity.label}</strong>{" "}
        <span className="mono" title={identity.address} data-address={identity.address}>
          {shortAddress(identity.address)}
        </span>
      </span>
      <button type="button" className="button small" onClick={lock}>
        Lock
      </button>
    </div>
  );
}

function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>This address is not a page of the portal. Use the menu above.</p>
    </section>
  );
}

/** The app. */
export function App() {
  const location = useLocation();
  useEffect(() => {
    document.title = `${TITLES[location.pathname] ?? "medchain"}${location.pathname === "/" ? "" : " · medchain"}`;
  }, [location.pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="inner">
          <NavLink to="/" className="brand" aria-label="medchain home">
            <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="#fff" />
              <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#084683" />
            </svg>
            medchain
          </NavLink>
          <nav className="site-nav" aria-label="Main">
            <ul>
              {NAV.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to}>{label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <WhoAmI />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/patient" element={<PatientPage />} />
            <Route path="/clinician" element={<ClinicianPage />} />
            <Route path="/medicine" element={<MedicinePage />} />
            <Route path="/partner" element={<PartnerPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

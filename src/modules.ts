/**
 * The slices this build of medchain runs, in deployment order (a slice's
 * contracts may take an earlier slice's addresses as constructor arguments).
 * Adding a domain is one folder and one line here: see
 * docs/architecture/adding-a-slice.md.
 */
import type { SliceModule } from "./node/module.ts";
import { relayModule } from "./relay/relay.module.ts";
import { accountsModule } from "./accounts/accounts.module.ts";
import { recordsModule } from "./records/records.module.ts";
import { identityModule } from "./identity/identity.module.ts";
import { consentModule } from "./consent/consent.module.ts";
import { auditModule } from "./audit/audit.module.ts";
import { supplyModule } from "./supply/supply.module.ts";
import { keeperModule } from "./keeper/keeper.module.ts";

/** Every slice, in deployment order. */
export const MODULES: readonly SliceModule[] = [
  relayModule,
  accountsModule,
  recordsModule,
  identityModule,
  consentModule,
  auditModule,
  supplyModule,
  keeperModule,
];

/** The accounts slice's HTTP endpoints, declared once (routes and client both come from here). */
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { zAccountInfo, zAccountParams } from "./schemas.ts";

/** `GET /accounts/:address`. */
export const getAccountEndpoint = defineEndpoint({
  method: "GET",
  path: "/accounts/:address",
  params: zAccountParams,
  response: zAccountInfo,
  tags: ["accounts"],
  summary: "An account's DID and published encryption key (read from the chain)",
});

/** Every endpoint of the accounts slice. */
export const ACCOUNTS_ENDPOINTS = [getAccountEndpoint] as const;

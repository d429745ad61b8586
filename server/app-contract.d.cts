// Types of app-contract.cjs: what the app gives the front server.
import type { RequestPolicy } from "@/lib/security/headers";

/** An answer: status, a JSON body (serialised by whoever sends it), or a text sent as it is, and headers of its own. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  /** A body that is not JSON (the feed's XML); its Content-Type is among the headers. */
  text?: string;
  headers?: Record<string, string>;
}

export interface RegisteredApp {
  /** GET paths the front server answers itself, by pathname, from the URL's parameters. */
  answers: Record<string, (params: URLSearchParams) => Promise<ApiAnswer>>;
  /** The headers next.config.ts puts on every response: the direct path puts them on its answers too. */
  headers: Record<string, string>;
  /** proxy.ts's work for a pathname: a 404, a page's Content-Security-Policy with a fresh nonce, or nothing. */
  requestPolicy: (pathname: string) => RequestPolicy;
  /** The generation serving now (null before the first load): kept pages are per generation. */
  generation: () => string | null;
}

export declare const POLICY_DONE_HEADER: string;
export declare const CLIENT_ADDRESS_HEADER: string;
export declare function registerApp(app: RegisteredApp): void;
export declare function registeredApp(): RegisteredApp | undefined;

/** A beacon's answer: its status, and a JSON body for a refusal. */
export interface BeaconAnswer {
  status: number;
  body?: { error: string };
}
/** Counts a beacon from its request's headers (lower-case names) and body. */
export type Beacon = (headers: Record<string, string | string[] | undefined>, url: string, body: string) => Promise<BeaconAnswer>;
export declare function registerBeacon(beacon: Beacon): void;
export declare function registeredBeacon(): Beacon | undefined;

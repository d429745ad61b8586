// Types of index-service.cjs.
export interface IndexService {
  send(request: { type: string; id: string } & Record<string, unknown>): void;
  stop(): void;
}
export declare const REQUEST: string;
export declare const ANSWER: string;
export declare function indexService(answered: (answer: { type: string; id: string } & Record<string, unknown>) => void): IndexService;
export declare function relayIndexRequests(cluster: unknown): IndexService;

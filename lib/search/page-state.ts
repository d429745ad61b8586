// Reading a search page's URL: the state for links, and the validated request
// for the engine. A bad parameter is reported and left out; the rest of the
// search still runs.
import { ParamError, parseSearchParams } from "@/lib/search/params";
import type { SearchRequest } from "@/lib/search/types";
import { stateFromParams, type SearchState } from "@/lib/search/url";

export const PAGE_SIZE = 10;

export interface PageSearch {
  state: SearchState;
  request: SearchRequest;
  problems: string[];
}

type Raw = Record<string, string | string[] | undefined>;

export function readSearchPage(raw: Raw): PageSearch {
  const params: Raw = { ...raw, size: String(PAGE_SIZE) };
  const problems: string[] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const request = parseSearchParams(params);
      const state = stateFromParams(params);
      return { state, request, problems };
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      problems.push(e.message);
      // "from is after to" names from; drop the offending parameter and go on.
      delete params[e.param];
    }
  }
  return { state: stateFromParams({}), request: parseSearchParams({ size: String(PAGE_SIZE) }), problems };
}

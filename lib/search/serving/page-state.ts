// Reading a search page's URL: the state for links, and the validated request
// for the engine. A bad parameter is reported and left out; the rest of the
// search still runs.
import { ParamError, parseSearchParams } from "@/lib/search/serving/params";
import type { SearchRequest } from "@/lib/search/engine/types";
import { PAGE_SIZE, stateFromParams, type SearchState } from "@/lib/search/client/url";

export interface PageSearch {
  state: SearchState;
  request: SearchRequest;
  problems: string[];
  /** Why the query itself was refused (over a limit): the page says so instead of listing every article. */
  queryProblem: ParamError | null;
}

type Raw = Record<string, string | string[] | undefined>;

export function readSearchPage(raw: Raw): PageSearch {
  const params: Raw = { ...raw, size: String(PAGE_SIZE) };
  const problems: string[] = [];
  let queryProblem: ParamError | null = null;
  // The search box keeps what was typed, even when it was refused.
  const typed = stateFromParams(raw).q;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const request = parseSearchParams(params);
      const state = { ...stateFromParams(params), q: queryProblem ? typed : (stateFromParams(params).q) };
      return { state, request, problems, queryProblem };
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      if (e.param === "q") queryProblem = e;
      else problems.push(e.message);
      // "from is after to" names from; drop the offending parameter and go on.
      delete params[e.param];
    }
  }
  return { state: stateFromParams({}), request: parseSearchParams({ size: String(PAGE_SIZE) }), problems, queryProblem };
}

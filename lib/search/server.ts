import "server-only";

export { loadSearchIndex } from "@/lib/search/runtime";

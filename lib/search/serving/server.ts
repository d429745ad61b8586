import "server-only";

export { liveGeneration, loadSearchIndex, readOriginal } from "@/lib/search/serving/live-index";

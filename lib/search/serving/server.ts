import "server-only";

export { isWithdrawn, liveGeneration, loadSearchIndex, readOriginal } from "@/lib/search/serving/live-index";

import "server-only";

export { liveGeneration, loadSearchIndex } from "@/lib/search/serving/live-index";

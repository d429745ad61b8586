// Every property test runs with one fixed seed, so a run is repeatable and a
// failure names the seed (fast-check prints it with the counterexample).
// FC_SEED=<n> runs them with another seed.
import fc from "fast-check";

const raw = process.env.FC_SEED;
const seed = raw === undefined || raw === "" ? 20261206 : Number(raw);
if (!Number.isSafeInteger(seed)) throw new Error(`tests: FC_SEED must be a whole number, not ${JSON.stringify(raw)}`);
fc.configureGlobal({ seed });

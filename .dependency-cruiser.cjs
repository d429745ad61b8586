// The architecture as rules, checked by `npm run check:architecture` (part of
// `npm test`): no import cycles, and layers only downward —
//
//   app → components → lib/search/serving → storage → engine → query, formats,
//   reader-aids → lib/content → lib/text   (lib/config: anyone; it imports nothing of ours)
//
// the write path (lib/search/build) may use the read path's pieces, never the
// other way; the engine imports neither a store nor the build; the code that
// runs in the browser imports no server module; the production server
// (server/) talks to the app only through server/app-contract.cjs; and no
// product or benchmark code reaches into tests/ (shared helpers are in testkit/).
// docs/design.md draws the same picture.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle: two modules that each need the other cannot be read, tested or moved alone.",
      from: {},
      to: { circular: true },
    },
    {
      name: "text-is-the-floor",
      severity: "error",
      comment: "lib/text (normalisation, segmentation, scripts) is the lowest layer: it imports nothing else of the project but lib/config.",
      from: { path: "^lib/text/" },
      to: { path: "^(lib/(?!text/|config/)|app/|components/|server/)" },
    },
    {
      name: "content-below-search",
      severity: "error",
      comment: "lib/content (decoding, extraction, metadata) comes before the index: it never imports the search code.",
      from: { path: "^lib/content/" },
      to: { path: "^(lib/search/|lib/security/|app/|components/|server/)" },
    },
    {
      name: "reader-aids-below-formats",
      severity: "error",
      comment: "Reader aids (vocabulary, reposts, key terms, related, suggestions) are computed from texts and words; they import no format, engine, store or build.",
      from: { path: "^lib/search/reader-aids/" },
      to: { path: "^lib/search/(?!reader-aids/)" },
    },
    {
      name: "query-language-alone",
      severity: "error",
      comment: "The query language parses text into normalised terms; it knows nothing of how they are found.",
      from: { path: "^lib/search/query/" },
      to: { path: "^lib/search/(?!query/)" },
    },
    {
      name: "formats-below-engine",
      severity: "error",
      comment: "Formats (n-gram file, word segments, manifest, article records, the generation contract) are read by the engine and the stores and written by the build: they import none of them.",
      from: { path: "^lib/search/formats/" },
      to: { path: "^lib/search/(engine|build|storage|serving|client|query)/" },
    },
    {
      name: "engine-imports-no-store-or-build",
      severity: "error",
      comment: "The engine searches what it is given: it imports no store, no build and no serving code.",
      from: { path: "^lib/search/engine/" },
      to: { path: "^lib/search/(build|storage|serving|client)/" },
    },
    {
      name: "read-path-never-imports-write-path",
      severity: "error",
      comment: "Serving and storage never import the build: a generation reaches them through the formats it is written in.",
      from: { path: "^lib/search/(serving|storage|engine|query|formats|reader-aids|client)/" },
      to: { path: "^lib/search/build/" },
    },
    {
      name: "storage-below-serving",
      severity: "error",
      comment: "Stores are used by serving and by the index run; they import neither.",
      from: { path: "^lib/search/storage/" },
      to: { path: "^lib/search/(serving|build)/" },
    },
    {
      name: "build-serves-nothing",
      severity: "error",
      comment: "The write path does not import serving code.",
      from: { path: "^lib/search/build/" },
      to: { path: "^lib/search/serving/" },
    },
    {
      name: "lib-below-app",
      severity: "error",
      comment: "lib/ is used by the app and the components, never the other way.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-below-app",
      severity: "error",
      comment: "Components are used by pages, never the other way.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "browser-imports-no-server-module",
      severity: "error",
      comment:
        "Components run in the browser (the search view is a client component and takes the rest with it): they import only lib/search/client and types. Anything else would ship server code to the browser or fail there.",
      from: { path: "^(components/|lib/search/client/)" },
      to: { path: "^(lib/(?!search/client/)|server/)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "browser-imports-no-node",
      severity: "error",
      comment: "Code that runs in the browser imports no Node.js module.",
      from: { path: "^(components/|lib/search/client/)" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "server-through-the-contract",
      severity: "error",
      comment: "The production server (server/) is plain Node outside the app's bundle: it reaches the app only through server/app-contract.cjs, and the configuration.",
      from: { path: "^server/" },
      to: { path: "^(lib/(?!config/)|app/|components/)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "app-reaches-server-only-by-contract",
      severity: "error",
      comment: "The app names two modules of the production server: the contract, and the index service the back office asks for index runs.",
      from: { path: "^(lib|app|components)/" },
      to: { path: "^server/(?!app-contract\\.|index-service\\.)" },
    },
    {
      name: "nothing-reaches-into-tests",
      severity: "error",
      comment: "Tests import the product and testkit/; nothing imports tests/ (helpers shared with benchmarks live in testkit/).",
      from: { path: "^(app|components|lib|server|scripts|bench|testkit)/" },
      to: { path: "^tests/" },
    },
    {
      name: "product-imports-no-testkit",
      severity: "error",
      comment: "testkit/ (helpers for tests and benchmarks) is not part of the product.",
      from: { path: "^(app|components|lib|server|scripts)/" },
      to: { path: "^(testkit|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|\\.index)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".cjs", ".js", ".mjs", ".d.cts", ".json"] },
    moduleSystems: ["es6", "cjs"],
  },
};

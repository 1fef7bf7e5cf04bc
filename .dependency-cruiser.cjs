/**
 * The layers of DESIGN.md, checked by `npm run lint` (scripts/check-layers.mjs):
 * domain → adapters → platform → features → app wiring; imports run downward only.
 * Folder slices (src/<folder>, src/modules/<feature>) must form no cycle: the script checks
 * that on the slice graph, since dependency-cruiser's own cycle rules work per file or folder.
 */
const DOMAIN = '^src/domain/';
const ADAPTERS = '^src/adapters/';
/** Platform modules living under src/modules; every other src/modules/<name> is a feature. */
const PLATFORM_MODULES = '(audit|auth|tenants|idempotency|health|rate-limit)';
const PLATFORM = [`^src/(config|database|common|jobs)/`, `^src/modules/${PLATFORM_MODULES}/`];
const FEATURES = `^src/modules/(?!${PLATFORM_MODULES}/)[^/]+/`;
const APP_WIRING = '^src/[^/]+\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'src/domain is framework-free: it imports nothing outside src/domain (its specs may use test libraries).',
      severity: 'error',
      from: { path: DOMAIN, pathNot: '\\.spec\\.ts$' },
      to: { pathNot: DOMAIN },
    },
    {
      name: 'adapters-import-only-domain',
      comment: 'An adapter imports the domain and other adapter code, never a module, a job, the platform or the app.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^src/', pathNot: [DOMAIN, ADAPTERS] },
    },
    {
      name: 'platform-imports-no-feature',
      comment: 'config, database, common, the job engine and the platform modules never import a feature.',
      severity: 'error',
      from: { path: PLATFORM },
      to: { path: FEATURES },
    },
    {
      name: 'nothing-imports-app-wiring',
      comment: 'main.ts and app.module.ts sit on top: no code of src/ imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: APP_WIRING },
      to: { path: APP_WIRING },
    },
    {
      name: 'no-file-cycles',
      comment: 'No import cycle between files (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count: a cycle of types is a cycle of knowledge.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

// `npm run lint` step: dependency-cruiser's rules (.dependency-cruiser.cjs) over src/, and no
// cycle between folder slices (src/<folder>, src/modules/<feature>; src/*.ts is app wiring).
// Usage: node scripts/check-layers.mjs [project root]; exits 1 on any violation.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = resolve(process.argv[2] ?? '.');
process.chdir(root);
const config = createRequire(import.meta.url)(resolve(root, '.dependency-cruiser.cjs'));

const { output } = await cruise(
  ['src'],
  { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true },
  undefined,
  { tsConfig: extractTSConfig(resolve(root, config.options.tsConfig.fileName)) },
);

const violations = output.summary.violations.map((v) => ({
  rule: v.rule.name,
  from: v.from,
  to: v.cycle ? v.cycle.map((c) => c.name ?? c).join(' → ') : v.to,
}));

/** The slice a file of src/ belongs to; null outside src/. */
function sliceOf(path) {
  const parts = path.split('/');
  if (parts[0] !== 'src') return null;
  if (parts.length === 2) return 'src (app wiring)';
  if (parts[1] === 'modules' && parts.length > 3) return `src/modules/${parts[2]}`;
  return `src/${parts[1]}`;
}

const edges = new Map();
const example = new Map();
for (const module of output.modules) {
  const from = sliceOf(module.source);
  if (!from) continue;
  for (const dependency of module.dependencies) {
    const to = sliceOf(dependency.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
    if (!example.has(`${from}|${to}`)) example.set(`${from}|${to}`, `${module.source} → ${dependency.resolved}`);
  }
}

// Tarjan's strongly connected components: every component of more than one slice is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const components = [];
function visit(slice) {
  state.set(slice, { index, low: index, onStack: true });
  index++;
  stack.push(slice);
  for (const next of edges.get(slice) ?? []) {
    if (!state.has(next)) {
      visit(next);
      state.get(slice).low = Math.min(state.get(slice).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(slice).low = Math.min(state.get(slice).low, state.get(next).index);
    }
  }
  if (state.get(slice).low === state.get(slice).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== slice);
    if (component.length > 1) components.push(component.sort());
  }
}
for (const slice of edges.keys()) if (!state.has(slice)) visit(slice);

for (const component of components) {
  const members = new Set(component);
  const imports = component.flatMap((from) =>
    [...(edges.get(from) ?? [])].filter((to) => members.has(to)).map((to) => example.get(`${from}|${to}`)),
  );
  violations.push({ rule: 'no-slice-cycles', from: component.join(', '), to: imports.join('; ') });
}

if (process.env.CHECK_LAYERS_JSON === '1') {
  process.stdout.write(JSON.stringify(violations));
} else {
  for (const v of violations) console.error(`  error ${v.rule}: ${v.from} → ${v.to}`);
  console.error(
    violations.length
      ? `✘ ${violations.length} layer violation(s)`
      : `✔ layers hold: no rule violation, no slice cycle (${output.summary.totalCruised} modules)`,
  );
}
process.exitCode = violations.length ? 1 : 0;

// Spectral function: JSON success responses carry an example without the placeholder "string".
function placeholders(value, path) {
  if (value === 'string') return [path.join('.') || '(root)'];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => placeholders(v, [...path, k]));
  }
  return [];
}

module.exports = (responses, _options, context) => {
  const problems = [];
  for (const [status, response] of Object.entries(responses || {})) {
    if (!/^2/.test(status)) continue;
    const json = (response.content || {})['application/json'];
    if (!json) continue;
    const where = [...context.path, status];
    const examples = json.example !== undefined ? [json.example] : Object.values(json.examples || {}).map((e) => e.value);
    if (examples.length === 0) problems.push({ message: `${status} has no example`, path: where });
    for (const example of examples) {
      for (const field of placeholders(example, [])) {
        problems.push({ message: `${status} example says "string" at ${field}`, path: where });
      }
    }
  }
  return problems;
};

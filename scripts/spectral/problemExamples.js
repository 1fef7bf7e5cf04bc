// Spectral function: each error response shows an example per problem code, with its own status.
module.exports = (responses, _options, context) => {
  const problems = [];
  for (const [status, response] of Object.entries(responses || {})) {
    if (!/^[45]/.test(status)) continue;
    const where = [...context.path, status];
    const content = (response.content || {})['application/problem+json'];
    // A documented body of its own (readiness' 503 lists the failing checks) is not a problem.
    if (!content && (response.content || {})['application/json']) continue;
    if (!content) {
      problems.push({ message: `${status} is not application/problem+json`, path: where });
      continue;
    }
    const examples = Object.values(content.examples || {});
    if (examples.length === 0) problems.push({ message: `${status} has no problem example`, path: where });
    for (const example of examples) {
      const value = example.value || {};
      if (value.status !== Number(status)) {
        problems.push({ message: `${status} example "${value.code}" says status ${value.status}`, path: where });
      }
      if (value.code === 'validation_failed' && status !== '422') {
        problems.push({ message: `${status} shows validation_failed`, path: where });
      }
    }
  }
  return problems;
};

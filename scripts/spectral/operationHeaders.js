// Spectral function: the header parameters and response headers of one operation (issue #15).
const MUTATING = ['post', 'put', 'patch', 'delete'];

module.exports = (operation, _options, context) => {
  const problems = [];
  const method = context.path[context.path.length - 1];
  const names = (operation.parameters || []).filter((p) => p.in === 'header').map((p) => p.name);
  const secured = (operation.security || []).some((s) => Object.keys(s).length > 0);
  const want = (name, why) => {
    if (!names.includes(name)) problems.push({ message: `${name} header parameter missing (${why})` });
  };
  want('X-Request-Id', 'every operation');
  if (secured && MUTATING.includes(method)) want('Idempotency-Key', 'authenticated mutation');
  const responses = operation.responses || {};
  if (responses['412']) want('If-Match', 'answers 412');
  for (const [status, response] of Object.entries(responses)) {
    const headers = Object.keys(response.headers || {});
    const need = ['X-Request-Id'];
    if (secured) need.push('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset');
    if (status === '429') need.push('Retry-After');
    for (const name of need) {
      if (!headers.includes(name)) {
        problems.push({ message: `response ${status} does not document ${name}`, path: [...context.path, 'responses', status] });
      }
    }
  }
  if (secured && !responses['429']) problems.push({ message: 'authenticated operation without its 429 rate_limited' });
  return problems;
};

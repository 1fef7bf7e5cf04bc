// Spectral function: path parameters are described and patterned; `limit` is an integer.
module.exports = (operation, _options, context) => {
  const problems = [];
  for (const parameter of operation.parameters || []) {
    const schema = parameter.schema || {};
    if (parameter.in === 'path') {
      if (!parameter.description) problems.push({ message: `path parameter ${parameter.name} has no description` });
      if (!schema.pattern) problems.push({ message: `path parameter ${parameter.name} has no pattern` });
    }
    if (parameter.in === 'query' && parameter.name === 'limit' && schema.type !== 'integer') {
      problems.push({ message: `limit is ${schema.type}, not integer`, path: [...context.path, 'parameters'] });
    }
  }
  return problems;
};

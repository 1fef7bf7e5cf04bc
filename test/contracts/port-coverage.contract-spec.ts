import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ADAPTERS } from '../../src/adapters/all-adapters';
import { SERVICE_PORTS, portFor } from '../../src/domain/capabilities';
import { SERVICES, type ServiceKind } from '../../src/domain/model';

/** The shared suite each service's port adapters must run through. */
const SUITE: Record<ServiceKind, string> = {
  mail: 'describeMailServiceContract',
  archive: 'describeArchiveServiceContract',
  'secure-mail': 'describeSecureMailServiceContract',
};

const specs = readdirSync(__dirname)
  .filter((name) => name.endsWith('.contract-spec.ts') && name !== 'port-coverage.contract-spec.ts')
  .map((name) => readFileSync(join(__dirname, name), 'utf8'));

describe('contract suites cover every shipped port adapter', () => {
  const cases = ALL_ADAPTERS.flatMap((provider) =>
    SERVICES.filter((service) => portFor(provider, service)).map((service) => ({
      provider: provider.descriptor.name,
      service,
      className: (portFor(provider, service) as object).constructor.name,
    })),
  );

  it('finds a port adapter class for every declared service', () => {
    for (const provider of ALL_ADAPTERS) {
      for (const service of provider.descriptor.services) {
        const port = provider[SERVICE_PORTS[service].field];
        expect(port?.constructor).not.toBe(Object);
      }
    }
  });

  it.each(cases)('$provider $service: $className runs through its port suite', ({ service, className }) => {
    const runs = specs.some(
      (text) => text.includes(`${SUITE[service]}(`) && new RegExp(`new ${className}\\(`).test(text),
    );
    expect(runs).toBe(true);
  });
});

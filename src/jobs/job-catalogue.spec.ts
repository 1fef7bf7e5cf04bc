import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ModuleRef } from '@nestjs/core';
import type { ItemOutcome, ItemsProcessor, JobDefinition } from './job-definition';
import { JobCatalogue } from './job-catalogue';

@Injectable()
class RegisteredProcessor implements ItemsProcessor<unknown> {
  readonly kind = 'items';
  async processItem(): Promise<ItemOutcome> {
    return { state: 'succeeded' };
  }
}

@Injectable()
class ForgottenProcessor extends RegisteredProcessor {}

const definition = (overrides: Partial<JobDefinition> = {}): JobDefinition => ({
  type: 'unit.items',
  queue: 'unit-items',
  processor: RegisteredProcessor,
  concurrency: 1,
  itemConcurrency: 1,
  perConnectionLimit: 1,
  connectionKey: () => null,
  retry: { attempts: 1, backoffMs: 10, itemAttempts: 1 },
  ...overrides,
});

async function boot(definitions: JobDefinition[]) {
  const module = await Test.createTestingModule({
    providers: [
      RegisteredProcessor,
      {
        provide: JobCatalogue,
        inject: [ModuleRef],
        useFactory: (ref: ModuleRef) => new JobCatalogue(definitions, ref),
      },
    ],
  }).compile();
  return module.init();
}

describe('JobCatalogue', () => {
  it('resolves each type to its processor and lists queues once', async () => {
    const app = await boot([definition(), definition({ type: 'unit.other' })]);
    const catalogue = app.get(JobCatalogue);
    expect(catalogue.processor('unit.items')).toBeInstanceOf(RegisteredProcessor);
    expect(catalogue.queues()).toEqual(['unit-items']);
    expect(catalogue.get('unit.other').type).toBe('unit.other');
    expect(() => catalogue.get('unit.unknown')).toThrow('Unknown job type "unit.unknown"');
    await app.close();
  });

  it('refuses to boot when a type has no registered processor', async () => {
    await expect(boot([definition({ processor: ForgottenProcessor })])).rejects.toThrow(
      'Job type "unit.items" has no processor: register ForgottenProcessor as a provider.',
    );
  });

  it('refuses malformed definitions: queue names, limits, duplicates', () => {
    const ref = {} as ModuleRef;
    expect(() => new JobCatalogue([definition({ queue: 'Unit_Items' })], ref)).toThrow('must be kebab-case');
    expect(() => new JobCatalogue([definition({ concurrency: 0 })], ref)).toThrow(
      'concurrency must be at least 1',
    );
    expect(() => new JobCatalogue([definition(), definition()], ref)).toThrow('registered twice');
  });
});

import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import type { ItemOutcome, ItemsProcessor, JobDefinition } from './job-definition';
import { JOB_CATALOGUE_PROVIDER, JobCatalogue } from './job-catalogue';
import { JobEngineModule } from './job-engine.module';

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

/** Two features, each declaring its types beside the processors it provides. */
@Module({
  imports: [JobEngineModule.forFeature([definition({ type: 'feature-a.first' })])],
  providers: [RegisteredProcessor],
})
class FeatureAModule {}

@Injectable()
class OtherProcessor extends RegisteredProcessor {}

@Module({
  imports: [
    JobEngineModule.forFeature([
      definition({ type: 'feature-b.second', queue: 'b', processor: OtherProcessor }),
    ]),
  ],
  providers: [OtherProcessor],
})
class FeatureBModule {}

@Module({
  imports: [
    JobEngineModule.forFeature([definition({ type: 'feature-c.orphan', processor: ForgottenProcessor })]),
  ],
})
class ForgetfulFeatureModule {}

async function bootFeatures(...features: (new () => unknown)[]) {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule, ...features],
    providers: [JOB_CATALOGUE_PROVIDER],
  }).compile();
  return module.init();
}

describe('JobCatalogue', () => {
  it('collects the types every feature module declared, with their processors', async () => {
    const app = await bootFeatures(FeatureAModule, FeatureBModule);
    const catalogue = app.get(JobCatalogue);
    expect(
      catalogue
        .definitions()
        .map((d) => d.type)
        .sort(),
    ).toEqual(['feature-a.first', 'feature-b.second']);
    expect(catalogue.processor('feature-a.first')).toBeInstanceOf(RegisteredProcessor);
    expect(catalogue.processor('feature-b.second')).toBeInstanceOf(OtherProcessor);
    expect(catalogue.queues()).toEqual(['b', 'unit-items']);
    await app.close();
  });

  it('refuses to boot when a feature declares a type whose processor it does not provide', async () => {
    await expect(bootFeatures(FeatureAModule, ForgetfulFeatureModule)).rejects.toThrow(
      'Job type "feature-c.orphan" has no processor: register ForgottenProcessor',
    );
  });

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
      'Job type "unit.items" has no processor: register ForgottenProcessor as a provider of the module that declares the type.',
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

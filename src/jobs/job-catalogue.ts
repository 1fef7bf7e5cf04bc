import { Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { GatewayError } from '../domain/errors';
import type { JobDefinition, JobProcessor } from './job-definition';

/** The job types one feature module declares; see `JobEngineModule.forFeature`. */
export class DeclaredJobTypes {
  constructor(readonly definitions: readonly JobDefinition[]) {}
}

/** Every job type the feature modules of this app declared. */
function declaredJobTypes(discovery: DiscoveryService): JobDefinition[] {
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is DeclaredJobTypes => instance instanceof DeclaredJobTypes)
    .flatMap((declared) => declared.definitions);
}

const QUEUE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TYPE_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/**
 * The typed catalogue of what features declared: definitions validated at construction,
 * processors resolved at module init. A type without a registered processor stops the boot,
 * in every role. The engine itself knows no job type.
 */
@Injectable()
export class JobCatalogue implements OnModuleInit {
  private readonly byType = new Map<string, JobDefinition>();
  private readonly processors = new Map<string, JobProcessor<unknown>>();

  constructor(
    definitions: readonly JobDefinition[],
    private readonly moduleRef: ModuleRef,
  ) {
    for (const d of definitions) {
      const problems = [
        !TYPE_NAME.test(d.type) && 'type must be dotted lowercase words',
        !QUEUE_NAME.test(d.queue) && `queue "${d.queue}" must be kebab-case`,
        !(d.concurrency >= 1) && 'concurrency must be at least 1',
        !(d.itemConcurrency >= 1) && 'itemConcurrency must be at least 1',
        !(d.perConnectionLimit >= 1) && 'perConnectionLimit must be at least 1',
        !(d.retry.attempts >= 1 && d.retry.itemAttempts >= 1) && 'retry attempts must be at least 1',
        this.byType.has(d.type) && 'the type is registered twice',
      ].filter((p): p is string => typeof p === 'string');
      if (problems.length) throw new Error(`Job type "${d.type}": ${problems.join('; ')}`);
      this.byType.set(d.type, d);
    }
  }

  onModuleInit(): void {
    for (const d of this.byType.values()) {
      let processor: JobProcessor<unknown> | undefined;
      try {
        processor = this.moduleRef.get(d.processor, { strict: false });
      } catch {
        processor = undefined;
      }
      if (!processor) {
        throw new Error(
          `Job type "${d.type}" has no processor: register ${d.processor.name} as a provider of the module that declares the type.`,
        );
      }
      this.processors.set(d.type, processor);
    }
  }

  definitions(): JobDefinition[] {
    return [...this.byType.values()];
  }

  queues(): string[] {
    return [...new Set(this.definitions().map((d) => d.queue))].sort();
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  get(type: string): JobDefinition {
    const definition = this.byType.get(type);
    if (!definition) throw new GatewayError('internal', `Unknown job type "${type}".`);
    return definition;
  }

  processor(type: string): JobProcessor<unknown> {
    const processor = this.processors.get(type);
    if (!processor) throw new GatewayError('internal', `Job type "${type}" has no processor.`);
    return processor;
  }
}

/** The catalogue over the declarations of every booted module (needs DiscoveryModule). */
export const JOB_CATALOGUE_PROVIDER: Provider = {
  provide: JobCatalogue,
  inject: [DiscoveryService, ModuleRef],
  useFactory: (discovery: DiscoveryService, moduleRef: ModuleRef) =>
    new JobCatalogue(declaredJobTypes(discovery), moduleRef),
};

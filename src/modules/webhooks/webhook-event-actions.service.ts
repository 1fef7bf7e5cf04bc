import { Injectable, type Type } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import { RequestValidationPipe } from '../../common/http/request-validation.pipe';
import { GatewayError } from '../../domain/errors';
import { redact } from '../../domain/redaction';
import { AliasesService } from '../aliases/aliases.service';
import { MigrationIntakeService } from '../migrations/migration-intake.service';
import { UsersService } from '../users/users.service';
import {
  AliasDeletedData,
  AliasSetData,
  MigrationRequestedData,
  UserCreatedData,
  UserDeletedData,
  UserUpdatedData,
} from './webhook-event-data.dto';

/** What one event type does: its `data` DTO, its audit identity (the REST route's) and its call. */
interface EventAction<D> {
  data: Type<D>;
  /** The audit action and resource type of the matching REST route. */
  action: string;
  resourceType: string;
  /** From the data, or (for what the call creates) from the result. */
  resourceId(data: D, result?: Record<string, unknown>): string | null;
  /** What the events API and the audit log keep of the data; by default all of it, redacted. */
  shown?(data: D): Record<string, unknown>;
  /** Calls the REST API's own service; the answer becomes the event's result. */
  run(meta: RequestMeta, tenantId: string, data: D): Promise<Record<string, unknown>>;
}

/** A validated event, ready to run. */
export interface ValidatedEvent {
  type: string;
  data: object;
  action: string;
  resourceType: string;
  resourceId: string | null;
  /** What the events API and the audit log keep of `data` (secret-named fields redacted). */
  shown: Record<string, unknown>;
}

const validation = new RequestValidationPipe();

/** Each entry is typed by its own DTO; the table holds them side by side. */
const define = <D extends object>(action: EventAction<D>) => action as unknown as EventAction<object>;

/**
 * The event types of API.md and the services they run through: the same DTOs, services,
 * vendor calls and audit actions as the REST routes, with `data.service` in place of `?service=`.
 */
@Injectable()
export class WebhookEventActions {
  private readonly actions: Record<string, EventAction<object>>;

  constructor(users: UsersService, aliases: AliasesService, migrations: MigrationIntakeService) {
    this.actions = {
      'user.created': define<UserCreatedData>({
        data: UserCreatedData,
        action: 'user.created',
        resourceType: 'user',
        resourceId: (d: UserCreatedData) => d.email,
        run: async (meta, tenantId, { service, ...input }: UserCreatedData) => ({
          user: await users.create(meta, tenantId, service ?? 'mail', input),
        }),
      }),
      'user.updated': define<UserUpdatedData>({
        data: UserUpdatedData,
        action: 'user.updated',
        resourceType: 'user',
        resourceId: (d: UserUpdatedData) => d.email,
        run: async (meta, tenantId, { service, email, ...patch }: UserUpdatedData) => ({
          user: await users.update(meta, tenantId, service ?? 'mail', email, patch),
        }),
      }),
      'user.deleted': define<UserDeletedData>({
        data: UserDeletedData,
        action: 'user.deleted',
        resourceType: 'user',
        resourceId: (d: UserDeletedData) => d.email,
        run: async (meta, tenantId, { service, email }: UserDeletedData) => {
          await users.remove(meta, tenantId, service ?? 'mail', email);
          return { deleted: { email, service: service ?? 'mail' } };
        },
      }),
      'alias.set': define<AliasSetData>({
        data: AliasSetData,
        action: 'alias.set',
        resourceType: 'alias',
        resourceId: (d: AliasSetData) => d.address,
        run: async (meta, tenantId, { address, recipients }: AliasSetData) => ({
          alias: await aliases.put(meta, tenantId, address, recipients),
        }),
      }),
      'alias.deleted': define<AliasDeletedData>({
        data: AliasDeletedData,
        action: 'alias.deleted',
        resourceType: 'alias',
        resourceId: (d: AliasDeletedData) => d.address,
        run: async (meta, tenantId, { address }: AliasDeletedData) => {
          await aliases.remove(meta, tenantId, address);
          return { deleted: { address } };
        },
      }),
      'migration.requested': define<MigrationRequestedData>({
        data: MigrationRequestedData,
        action: 'migration.requested',
        resourceType: 'job',
        resourceId: (_d, result) => (typeof result?.jobId === 'string' ? result.jobId : null),
        // Never the users: they can hold passwords, and thousands of them are no record.
        shown: (d) => ({ service: d.service ?? 'mail', users: d.users.length, options: d.options }),
        run: async (meta, tenantId, { service, users, options }: MigrationRequestedData) => {
          const job = await migrations.fromJson(meta, tenantId, {
            service: service ?? 'mail',
            users,
            options,
          });
          return { jobId: job.id };
        },
      }),
    };
  }

  types(): string[] {
    return Object.keys(this.actions);
  }

  /** The audit action of a type, when it is a known one. */
  auditActionOf(type: string): { action: string; resourceType: string } | undefined {
    const known = Object.prototype.hasOwnProperty.call(this.actions, type) ? this.actions[type] : undefined;
    return known && { action: known.action, resourceType: known.resourceType };
  }

  /** Validates `data` for `type` with the REST DTO rules; a 422 names every bad field under `data.`. */
  async validate(type: string, data: unknown): Promise<ValidatedEvent> {
    const known = this.auditActionOf(type) ? this.actions[type] : undefined;
    if (!known) {
      throw GatewayError.validation([
        { field: 'type', message: `must be one of ${this.types().join(', ')}` },
      ]);
    }
    let instance: object;
    try {
      instance = (await validation.transform(data, { type: 'body', metatype: known.data })) as object;
    } catch (error) {
      if (error instanceof GatewayError && error.errors)
        throw GatewayError.validation(error.errors.map((e) => ({ ...e, field: `data.${e.field}` })));
      throw error;
    }
    return {
      type,
      data: instance,
      action: known.action,
      resourceType: known.resourceType,
      resourceId: known.resourceId(instance),
      shown: redact(known.shown ? known.shown(instance) : instance) as Record<string, unknown>,
    };
  }

  /** Runs a validated event on the tenant; vendor calls are recorded in `meta.vendorCalls`. */
  async run(
    meta: RequestMeta,
    tenantId: string,
    event: ValidatedEvent,
  ): Promise<{ result: Record<string, unknown>; resourceId: string | null }> {
    const action = this.actions[event.type];
    const result = await action.run(meta, tenantId, event.data);
    return { result, resourceId: event.resourceId ?? action.resourceId(event.data, result) };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { redact } from '../../domain/redaction';
import type { VendorCall } from '../../domain/vendor-call';
import type { Page } from '../../domain/model';
import { AUDIT_LIMITS, storableJson, storableText } from './audit-detail';
import type { ActorType, AuditEventEntity } from './audit-event.entity';
import { type AuditEventQuery, AuditEventsRepository, type NewAuditEvent } from './audit-events.repository';

export interface AuditRecord {
  actor: { type: ActorType; id: string };
  tenantId: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure';
  requestId?: string | null;
  jobId?: string | null;
  provider?: string | null;
  vendorCalls?: VendorCall[];
  detail?: Record<string, unknown>;
}

export interface RecordOptions {
  /**
   * The event records a change already made at a vendor: it is retried for longer (the caller's
   * answer waits for it), because that change is not recorded anywhere else.
   */
  durable?: boolean;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actor: { type: ActorType; id: string };
  tenantId: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure';
  requestId: string | null;
  jobId: string | null;
  provider: string | null;
  vendorCalls: VendorCall[];
  detail: Record<string, unknown>;
}

export interface AuditFilter extends AuditEventQuery {
  /** Only this tenant's events; unset, every event. */
  tenantId?: string;
}

const MAX_DETAIL_BYTES = 16 * 1024;
/** Waits before each retry of a failed insert; durable events get the long schedule. */
const RETRY_WAITS_MS = [50, 250];
const DURABLE_RETRY_WAITS_MS = [50, 250, 1_000, 2_000, 4_000, 8_000];
/** SQLSTATE class 22 (data exception) and 54 (limit exceeded): the content, not the database, failed. */
const CONTENT_ERROR = /^(22|54)/;

const nullableText = (text: string | null | undefined): string | null =>
  text === null || text === undefined ? null : storableText(String(text), AUDIT_LIMITS.textColumn);

/** Writes and reads the append-only audit log; details are redacted and made storable before they are stored. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly lostEvents: Counter;

  constructor(
    private readonly events: AuditEventsRepository,
    registry: MetricsRegistry,
  ) {
    this.lostEvents = new Counter({
      name: 'audit_write_failures_total',
      help: 'Audit events that could not be written to Postgres after every retry',
      registers: [registry],
    });
  }

  /**
   * Stores one event. Content cannot make the insert fail (see storableJson; an event Postgres
   * still refuses is stored without its detail); a failing database is retried, and an event
   * that is lost after all retries is counted in `audit_write_failures_total`, logged in full at
   * error level and thrown.
   */
  async record(event: AuditRecord, options: RecordOptions = {}): Promise<void> {
    await this.insertRetrying([toTenantRow(event)], options);
  }

  /**
   * Stores several events in one insert (a batch job step's per-item events), retried as
   * `record` retries one; when Postgres refuses the content of the insert, each event is
   * recorded on its own, so only the refused one loses its detail.
   */
  async recordMany(events: AuditRecord[], options: RecordOptions = {}): Promise<void> {
    if (events.length) await this.insertRetrying(events.map(toTenantRow), options);
  }

  /** The one write loop of `record` and `recordMany`. */
  private async insertRetrying(rows: TenantRow[], options: RecordOptions): Promise<void> {
    const waits = options.durable ? DURABLE_RETRY_WAITS_MS : RETRY_WAITS_MS;
    let contentRefused = false;
    for (let attempt = 0; ; attempt++) {
      try {
        if (rows.length === 1) await this.events.insert(rows[0].tenantId, rows[0].event);
        else await this.events.insertMany(rows);
        return;
      } catch (error) {
        const sqlState = (error as { code?: unknown }).code;
        if (!contentRefused && typeof sqlState === 'string' && CONTENT_ERROR.test(sqlState)) {
          if (rows.length > 1) {
            for (const row of rows) await this.insertRetrying([row], options);
            return;
          }
          contentRefused = true;
          rows = [{ tenantId: rows[0].tenantId, event: withoutDetail(rows[0].event, sqlState) }];
          continue;
        }
        if (attempt >= waits.length) {
          this.lostEvents.inc(rows.length);
          const lost = rows.map(({ tenantId, event }) => ({ ...event, tenantId }));
          if (rows.length === 1)
            this.logger.error(
              { err: error, event: lost[0], attempts: attempt + 1 },
              'AUDIT EVENT LOST: audit write failed',
            );
          else
            this.logger.error(
              { err: error, events: lost, attempts: attempt + 1 },
              'AUDIT EVENTS LOST: audit write failed',
            );
          throw error;
        }
        this.logger.warn(
          rows.length === 1
            ? { err: error, action: rows[0].event.action, requestId: rows[0].event.requestId }
            : { err: error, action: rows[0].event.action, events: rows.length },
          'audit write failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, waits[attempt]));
      }
    }
  }

  async list(filter: AuditFilter): Promise<Page<AuditEventView>> {
    const { tenantId, ...query } = filter;
    const page = await this.events.page(tenantId ?? null, query);
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }
}

interface TenantRow {
  tenantId: string | null;
  event: NewAuditEvent;
}

const toTenantRow = (event: AuditRecord): TenantRow => ({
  tenantId: nullableText(event.tenantId),
  event: toRow(event),
});

function toRow(event: AuditRecord): NewAuditEvent {
  let detail = redact(storableJson(event.detail ?? {})) as Record<string, unknown>;
  if (JSON.stringify(detail).length > MAX_DETAIL_BYTES)
    detail = { truncated: true, keys: Object.keys(detail) };
  return {
    actorType: event.actor.type,
    actorId: storableText(event.actor.id, AUDIT_LIMITS.textColumn),
    action: storableText(event.action, AUDIT_LIMITS.textColumn),
    resourceType: storableText(event.resource.type, AUDIT_LIMITS.textColumn),
    resourceId: nullableText(event.resource.id),
    outcome: event.outcome,
    requestId: nullableText(event.requestId),
    jobId: nullableText(event.jobId),
    provider: nullableText(event.provider),
    vendorCalls: redact(storableJson(event.vendorCalls ?? [])) as VendorCall[],
    detail,
  };
}

/** The event without anything taken from the request or the vendor's answers. */
function withoutDetail(row: NewAuditEvent, sqlState: string): NewAuditEvent {
  const error = row.detail.error;
  return {
    ...row,
    vendorCalls: [],
    detail: {
      detailDropped: `Postgres refused the detail (SQLSTATE ${sqlState})`,
      ...(error ? { error } : {}),
    },
  };
}

function toView(e: AuditEventEntity): AuditEventView {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId },
    tenantId: e.tenantId,
    action: e.action,
    resource: { type: e.resourceType, id: e.resourceId },
    outcome: e.outcome,
    requestId: e.requestId,
    jobId: e.jobId,
    provider: e.provider,
    vendorCalls: e.vendorCalls,
    detail: e.detail,
  };
}

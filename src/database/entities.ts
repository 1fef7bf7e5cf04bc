import { ApiKeyEntity } from '../modules/auth/api-key.entity';
import { AuditEventEntity } from '../modules/audit/audit-event.entity';
import { IdempotencyRecordEntity } from '../modules/idempotency/idempotency-record.entity';
import { JobEntity, JobItemEntity } from '../modules/jobs/job.entity';
import { ConnectionEntity, ConnectionServiceEntity } from '../modules/tenants/connection.entity';
import { TenantEntity } from '../modules/tenants/tenant.entity';
import { WebhookEventEntity } from '../modules/webhooks/webhook-event.entity';
import { WebhookSourceEntity } from '../modules/webhooks/webhook-source.entity';

/** Every TypeORM entity; the schema itself comes only from migrations/. */
export const ENTITIES = [
  TenantEntity,
  ConnectionEntity,
  ConnectionServiceEntity,
  ApiKeyEntity,
  AuditEventEntity,
  IdempotencyRecordEntity,
  JobEntity,
  JobItemEntity,
  WebhookSourceEntity,
  WebhookEventEntity,
];

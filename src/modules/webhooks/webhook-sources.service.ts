import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../common/cache/ttl-cache';
import { ChangeNotifier } from '../../database/change-notifier';
import { WEBHOOK_SOURCE_CHANGES } from '../../database/change-topics';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import type { Principal } from '../../common/auth/principal';
import { TenantsService } from '../tenants/tenants.service';
import { WebhookCipher, newWebhookSecret } from './webhook-cipher';
import { SignatureVerifier, type VerifyingSecret } from './webhook-signature';
import type { WebhookSourceEntity } from './webhook-source.entity';
import {
  DEFAULT_OVERLAP_SECONDS,
  type CreateWebhookSourceDto,
  type WebhookSourceView,
  type WebhookSourceWithSecretView,
} from './webhook-sources.dto';
import { WebhookSourcesRepository } from './webhook-sources.repository';

/** What the intake needs of a source: its tenant and a verifier holding its live secrets. */
export interface IntakeSource {
  id: string;
  tenantId: string;
  verifier: SignatureVerifier;
}

/** Webhook sources: created and rotated by API keys, resolved (cached) by the intake. */
@Injectable()
export class WebhookSourcesService {
  /** Decrypted secrets on the intake's hot path, dropped when a source is rotated or deleted. */
  private readonly intake = new TtlCache<IntakeSource>(60_000, 5_000);

  constructor(
    private readonly sources: WebhookSourcesRepository,
    private readonly tenants: TenantsService,
    private readonly cipher: WebhookCipher,
    private readonly changes: ChangeNotifier,
  ) {
    changes.subscribe(WEBHOOK_SOURCE_CHANGES, (id) =>
      id === '*' ? this.intake.clear() : this.intake.delete(id),
    );
  }

  async create(principal: Principal, input: CreateWebhookSourceDto): Promise<WebhookSourceWithSecretView> {
    await this.tenants.get(principal, input.tenantId);
    const secret = newWebhookSecret();
    const row = await this.sources.insert({
      id: input.id,
      tenantId: input.tenantId,
      secretCiphertext: this.cipher.sealSecret(secret, input.id),
    });
    return { ...toView(row), secret };
  }

  async list(
    principal: Principal,
    filter: { tenantId?: string; limit: number; cursor?: string },
  ): Promise<Page<WebhookSourceView>> {
    const bound = principal.tenantId;
    if (bound && filter.tenantId && filter.tenantId !== bound)
      throw GatewayError.notFound(`Tenant "${filter.tenantId}"`);
    const page = await this.sources.list({ ...filter, tenantId: bound ?? filter.tenantId });
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<WebhookSourceView> {
    return toView(await this.visible(principal, id));
  }

  async rotate(
    principal: Principal,
    id: string,
    overlapSeconds = DEFAULT_OVERLAP_SECONDS,
  ): Promise<WebhookSourceWithSecretView> {
    await this.visible(principal, id);
    const secret = newWebhookSecret();
    const row = await this.sources.rotate(id, this.cipher.sealSecret(secret, id), overlapSeconds);
    await this.changes.publish(WEBHOOK_SOURCE_CHANGES, id);
    return { ...toView(row), secret };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.visible(principal, id);
    await this.sources.delete(id);
    await this.changes.publish(WEBHOOK_SOURCE_CHANGES, id);
  }

  /** The source, if the principal may see it; another tenant's is not found. */
  async visible(principal: Principal, id: string): Promise<WebhookSourceEntity> {
    const row = await this.sources.find(id);
    if (!row || (principal.tenantId && row.tenantId !== principal.tenantId))
      throw GatewayError.notFound(`Webhook source "${id}"`);
    return row;
  }

  /** For the unauthenticated intake: an unknown source is a 404. */
  async forIntake(id: string): Promise<IntakeSource> {
    const hit = this.changes.live ? this.intake.get(id) : undefined;
    if (hit) return hit;
    const row = await this.sources.find(id);
    if (!row) throw GatewayError.notFound(`Webhook source "${id}"`);
    const secrets: VerifyingSecret[] = [
      { secret: this.cipher.openSecret(row.secretCiphertext, id), expiresAt: null },
    ];
    if (row.previousSecretCiphertext && row.previousSecretExpiresAt) {
      secrets.push({
        secret: this.cipher.openSecret(row.previousSecretCiphertext, id),
        expiresAt: row.previousSecretExpiresAt.getTime(),
      });
    }
    const source = { id, tenantId: row.tenantId, verifier: new SignatureVerifier(secrets) };
    this.intake.set(id, source);
    return source;
  }
}

function toView(row: WebhookSourceEntity): WebhookSourceView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    previousSecretExpiresAt:
      row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now()
        ? row.previousSecretExpiresAt.toISOString()
        : null,
  };
}

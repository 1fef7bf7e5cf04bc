import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../common/cache/ttl-cache';
import { AppConfig } from '../../config/app-config';
import { ChangeNotifier } from '../../database/change-notifier';
import { API_KEY_CHANGES } from '../../database/change-topics';
import { GatewayError } from '../../domain/errors';
import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { hashSecret, parseKey, secretsEqual } from './api-key-secret';
import { ADMIN_PRINCIPAL_ID, type Principal } from '../../common/auth/principal';
import type { Scope } from '../../common/auth/scopes';

const unauthorized = (detail: string) => new GatewayError('unauthorized', detail);

/** Resolves `Authorization: Bearer <key>` to a principal; revoked keys fail at once. */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly adminKeyHash: Buffer;

  /** Key rows by id; dropped on every revocation announced through the ChangeNotifier. */
  private readonly cache = new TtlCache<ApiKeyEntity | null>(60_000, 10_000);

  constructor(
    config: AppConfig,
    private readonly keys: ApiKeysRepository,
    private readonly changes: ChangeNotifier,
  ) {
    this.adminKeyHash = hashSecret(config.adminApiKey);
    changes.subscribe(API_KEY_CHANGES, (id) => (id === '*' ? this.cache.clear() : this.cache.delete(id)));
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('Send an API key as `Authorization: Bearer <key>`.');
    const presented = match[1];
    const parsed = parseKey(presented);
    if (parsed) {
      const row = await this.find(parsed.id);
      // Compare even when the row is missing so that timing does not reveal which ids exist.
      const valid = secretsEqual(parsed.secret, row?.secretHash ?? this.adminKeyHash) && row !== null;
      if (valid && !row.revokedAt) {
        return { type: 'api-key', id: row.id, tenantId: row.tenantId, scopes: row.scopes as Scope[] };
      }
    }
    // Only one hash per request on the hot path: issued keys are checked first, the admin key after.
    if (secretsEqual(presented, this.adminKeyHash)) {
      return { type: 'api-key', id: ADMIN_PRINCIPAL_ID, tenantId: null, scopes: ['admin'] };
    }
    if (!parsed) throw unauthorized('The API key is not valid.');
    throw unauthorized('The API key is not valid or has been revoked.');
  }

  private async find(id: string): Promise<ApiKeyEntity | null> {
    const cached = this.changes.live ? this.cache.get(id) : undefined;
    if (cached !== undefined) return cached;
    const row = await this.keys.findForAuthentication(id);
    if (row) this.cache.set(id, row);
    return row;
  }
}

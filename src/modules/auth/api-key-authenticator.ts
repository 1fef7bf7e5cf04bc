import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import { ApiKeyEntity } from './api-key.entity';
import { hashSecret, parseKey, secretsEqual } from './api-key-secret';
import { ADMIN_PRINCIPAL_ID, type Principal } from './principal';
import type { Scope } from './scopes';

const unauthorized = (detail: string) => new GatewayError('unauthorized', detail);

/** Resolves `Authorization: Bearer <key>` to a principal; revoked keys fail at once. */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly adminKeyHash: Buffer;

  constructor(
    config: AppConfig,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
  ) {
    this.adminKeyHash = hashSecret(config.adminApiKey);
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('Send an API key as `Authorization: Bearer <key>`.');
    const presented = match[1];
    if (secretsEqual(presented, this.adminKeyHash)) {
      return { type: 'api-key', id: ADMIN_PRINCIPAL_ID, tenantId: null, scopes: ['admin'] };
    }
    const parsed = parseKey(presented);
    if (!parsed) throw unauthorized('The API key is not valid.');
    const row = await this.keys.findOne({ where: { id: parsed.id } });
    // Compare even when the row is missing so that timing does not reveal which ids exist.
    const valid = secretsEqual(parsed.secret, row?.secretHash ?? this.adminKeyHash) && row !== null;
    if (!valid || row.revokedAt) throw unauthorized('The API key is not valid or has been revoked.');
    return { type: 'api-key', id: row.id, tenantId: row.tenantId, scopes: row.scopes as Scope[] };
  }
}

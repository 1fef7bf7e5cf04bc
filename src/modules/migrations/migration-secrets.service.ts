import { Injectable } from '@nestjs/common';
import { CredentialsCipher } from '../tenants/credentials-cipher';

/**
 * Passwords of a migration upload at rest (table migration_item_secrets): the credentials cipher
 * and SECRETS_KEY on `{password}`, with `<jobId>:<seq>` as associated data so a ciphertext
 * cannot be moved to another item (MIGRATIONS-CONTRACT: the run half decrypts exactly that).
 */
@Injectable()
export class MigrationSecretsService {
  constructor(private readonly cipher: CredentialsCipher) {}

  seal(jobId: string, seq: number, password: string): string {
    return this.cipher.encrypt({ password }, `${jobId}:${seq}`);
  }
}

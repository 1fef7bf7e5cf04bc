import { type CredentialsCipher, CredentialsUndecryptableError } from './credentials-cipher';

/**
 * Connection credentials are sealed to their row, (tenant, connection id), as associated data:
 * connection ids are unique per tenant only, so the id alone would let a ciphertext be copied
 * to another tenant's connection of the same id and still open.
 */
const aad = (tenantId: string, connectionId: string) => `connection:${tenantId}/${connectionId}`;

export function sealCredentials(
  cipher: CredentialsCipher,
  credentials: Record<string, string>,
  tenantId: string,
  connectionId: string,
): string {
  return cipher.encrypt(credentials, aad(tenantId, connectionId));
}

/**
 * Opens a row's credentials. Rows sealed by 0.1.x were bound to the connection id alone (then
 * a uuid, unique across tenants); they still open, and the next credentials PATCH seals them anew.
 */
export function openCredentials(
  cipher: CredentialsCipher,
  ciphertext: string,
  tenantId: string,
  connectionId: string,
): Record<string, string> {
  try {
    return cipher.decrypt(ciphertext, aad(tenantId, connectionId));
  } catch (error) {
    if (!(error instanceof CredentialsUndecryptableError)) throw error;
    try {
      return cipher.decrypt(ciphertext, connectionId);
    } catch {
      throw new CredentialsUndecryptableError(connectionId);
    }
  }
}

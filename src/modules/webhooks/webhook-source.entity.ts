import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A downstream system allowed to drive one tenant; its signing secrets are stored encrypted. */
@Entity({ name: 'webhook_sources' })
export class WebhookSourceEntity {
  @PrimaryColumn('text')
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'secret_ciphertext', type: 'text' })
  secretCiphertext: string;

  /** The secret before the last rotation, verifying until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret_ciphertext', type: 'text', nullable: true })
  previousSecretCiphertext: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;
}

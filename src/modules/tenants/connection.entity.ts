import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  ManyToOne,
  JoinColumn,
} from 'typeorm';

/** Keyed by (tenant, id): a connection id is chosen by the caller and unique within its tenant only. */
@Entity({ name: 'connections' })
export class ConnectionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @PrimaryColumn('text')
  id: string;

  @Column('text')
  provider: string;

  @Column({ name: 'base_url', type: 'text' })
  baseUrl: string;

  @Column('jsonb')
  settings: Record<string, string | number | boolean>;

  /** AES-256-GCM envelope; never leaves the tenants module unencrypted except into a CallContext. */
  @Column({ name: 'credentials_ciphertext', type: 'text' })
  credentialsCiphertext: string;

  @OneToMany(() => ConnectionServiceEntity, (s) => s.connection, { eager: true })
  serviceRows: ConnectionServiceEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The (tenant, service) → connection claim; its primary key allows one connection per service. */
@Entity({ name: 'connection_services' })
export class ConnectionServiceEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @PrimaryColumn('text')
  service: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId: string;

  @ManyToOne(() => ConnectionEntity, (c) => c.serviceRows, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'tenant_id', referencedColumnName: 'tenantId' },
    { name: 'connection_id', referencedColumnName: 'id' },
  ])
  connection: ConnectionEntity;
}

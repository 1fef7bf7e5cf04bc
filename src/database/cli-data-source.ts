import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadEnvFile } from '../config/env-file';
import { dataSourceOptions } from './data-source';

loadEnvFile();

/**
 * The data source the TypeORM CLI works on (`npm run migration:generate -- migrations/<PascalName>`,
 * `npm run migration:revert`): DATABASE_URL's database, with every entity file found by name.
 */
export default new DataSource({
  ...dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mailroom'),
  entities: [join(__dirname, '..', '**', '*.entity.{js,ts}')],
});

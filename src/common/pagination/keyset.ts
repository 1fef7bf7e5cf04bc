import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import { decodeCursor, encodeCursor } from './cursor';

export interface KeysetOptions<T> {
  /** Table and alias of the query builder. */
  table: string;
  alias: string;
  /** Column ordered by (with the id as tie-breaker). */
  orderColumn: string;
  direction: 'ASC' | 'DESC';
  limit: number;
  cursor?: string;
  idOf(row: T): string;
  /** Validates the id carried by a cursor before it reaches SQL. */
  idPattern: RegExp;
  /** For a table whose ids are unique only within e.g. a tenant: the column and value that qualify the id. */
  scope?: { column: string; value: string };
}

/**
 * Keyset paging where the cursor carries only the last row's id; the row's own sort value is
 * read back in SQL, so timestamps keep their full precision.
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  o: KeysetOptions<T>,
): Promise<Page<T>> {
  const after = decodeCursor<{ id: string }>(o.cursor, ['id']);
  const a = o.alias;
  if (after) {
    const id = String(after.id);
    if (!o.idPattern.test(id))
      throw GatewayError.validation([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
    const op = o.direction === 'ASC' ? '>' : '<';
    const scoped = o.scope ? ` AND c.${o.scope.column} = :keysetScope` : '';
    qb.andWhere(
      `(${a}.${o.orderColumn}, ${a}.id) ${op} (SELECT c.${o.orderColumn}, c.id FROM ${o.table} c WHERE c.id = :keysetAfter${scoped})`,
      { keysetAfter: id, keysetScope: o.scope?.value },
    );
  }
  const rows = await qb
    .orderBy(`${a}.${o.orderColumn}`, o.direction)
    .addOrderBy(`${a}.id`, o.direction)
    .limit(o.limit + 1)
    .getMany();
  const data = rows.slice(0, o.limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > o.limit && last ? encodeCursor({ id: o.idOf(last) }) : null };
}

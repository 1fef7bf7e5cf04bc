import type { Readable } from 'node:stream';
import { type CsvError, Parser } from 'csv-parse';
import type { ExtraFieldSpec } from '../../adapters/provider-adapter';
import { GatewayError, type FieldError } from '../../domain/errors';
import {
  MIGRATION_USER_FIELDS,
  type MigrationUserField,
  type RowRules,
  type RowVerdict,
  validateRow,
} from './migration-row.mapper';

/** Separates the addresses in an `aliases` cell (commas already separate the CSV fields). */
export const CSV_LIST_SEPARATOR = ';';
const EXTRAS_PREFIX = 'extras.';
const USER_FIELDS = new Set<string>(MIGRATION_USER_FIELDS);
const QUOTA = /^[0-9]{1,10}$/;

/** How an `extras.<name>` cell is read: as the target vendor documents the field (GET /v1/providers). */
export type CsvExtraKind = 'integer' | 'list' | 'string';
export type CsvExtraKinds = ReadonlyMap<string, CsvExtraKind>;
const INTEGER = /^-?[0-9]{1,15}$/;

/** The kinds of a vendor's user extras: `integer` (or a choice of integers such as `0 | 1`), lists (`string[]`), else text. */
export function csvExtraKinds(extras: readonly ExtraFieldSpec[]): CsvExtraKinds {
  return new Map(
    extras
      .filter((extra) => extra.on === 'user')
      .map((extra): [string, CsvExtraKind] => [
        extra.name,
        extra.type === 'integer' || /^\d+( \| \d+)+$/.test(extra.type)
          ? 'integer'
          : extra.type.endsWith('[]')
            ? 'list'
            : 'string',
      ]),
  );
}

/** What each column of an upload holds: a user field or one extras field. */
export type CsvColumn = { field: MigrationUserField } | { extra: string };

/**
 * Reads the header row. A column that names no field refuses the whole upload (422): every row
 * would lose that column's data silently, which is worse than asking for a fixed file.
 */
export function csvColumns(header: string[]): CsvColumn[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  const columns = header.map((raw, index): CsvColumn => {
    const name = (index === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (seen.has(name)) problems.push({ field: `header.${name}`, message: 'is named twice' });
    seen.add(name);
    if (USER_FIELDS.has(name)) return { field: name as MigrationUserField };
    if (name.startsWith(EXTRAS_PREFIX) && name.length > EXTRAS_PREFIX.length)
      return { extra: name.slice(EXTRAS_PREFIX.length) };
    problems.push({
      field: `header.${name.slice(0, 64)}`,
      message: `is not a column; columns are ${MIGRATION_USER_FIELDS.join(', ')} and extras.<name>`,
    });
    return { extra: name };
  });
  if (!seen.has('email')) problems.push({ field: 'header', message: 'must have an email column' });
  if (problems.length) {
    throw GatewayError.validation(
      problems,
      `The CSV header is not usable: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
    );
  }
  return columns;
}

/**
 * One CSV record as loosely typed user fields for `validateRow`: an empty cell is an absent
 * field, `quotaMb` a number when it is one, `aliases` split on `;`, `extras.<name>` cells in
 * `extras`, read as the vendor documents the field (an integer, a `;` list, else text).
 */
export function csvRecordToUser(
  cells: readonly string[],
  columns: readonly CsvColumn[],
  extraKinds: CsvExtraKinds = new Map(),
): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  let extras: Record<string, unknown> | undefined;
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i];
    if (cell === undefined || cell === '') continue;
    const column = columns[i];
    if ('extra' in column) {
      extras = extras ?? {};
      const kind = extraKinds.get(column.extra);
      extras[column.extra] =
        kind === 'integer' && INTEGER.test(cell) ? Number(cell) : kind === 'list' ? splitList(cell) : cell;
    } else if (column.field === 'quotaMb') {
      user.quotaMb = QUOTA.test(cell) ? Number(cell) : cell;
    } else if (column.field === 'aliases') {
      user.aliases = splitList(cell);
    } else {
      user[column.field] = column.field === 'email' ? cell.trim() : cell;
    }
  }
  if (extras) user.extras = extras;
  return user;
}

const splitList = (cell: string): string[] =>
  cell
    .split(CSV_LIST_SEPARATOR)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** Bounds of one CSV upload; past either the answer is 413 and nothing is stored. */
export interface CsvLimits {
  maxRows: number;
  maxBytes: number;
}

/** A record longer than this is taken for a quote that is never closed (the parser stops there). */
const MAX_RECORD_BYTES = 64 * 1024;

const MALFORMED: Array<[RegExp, string]> = [[/QUOTE_NOT_CLOSED/, 'a quoted field is never closed']];

/** Why a CSV record could not be read, in words; never the parser's message, which quotes the row. */
export function malformedReason(code: string): string {
  return MALFORMED.find(([pattern]) => pattern.test(code))?.[1] ?? 'not valid CSV';
}

const NEWLINE = 0x0a;

/** A record and the physical line it ends on. */
type LinedRecord = [record: string[], line: number];

/**
 * csv-parse that hands each record out with its physical line. Its own `info: true` copies the
 * whole parser state into a new object per record, a tenth of the intake's time at a million
 * rows; the line counter is read at the moment the record is pushed, which is what that copy
 * holds. csv-parse counts a CRLF inside a quoted field as two lines: those are counted here and
 * taken off every line number from there on.
 */
class LinedCsvParser extends Parser {
  /** CRLF line breaks inside the fields read so far, each counted twice by csv-parse. */
  private overcounted = 0;

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    for (const field of record as string[]) {
      for (let at = field.indexOf('\r\n'); at !== -1; at = field.indexOf('\r\n', at + 2)) this.overcounted++;
    }
    return super.push([record, this.line(this.info.lines)] as LinedRecord, encoding);
  }

  /** A line number csv-parse gave, as an editor shows it. */
  line(counted: number): number {
    return counted - this.overcounted;
  }
}

interface Skipped {
  line: number;
  code: string;
}

/**
 * Streams an upload into one verdict per data row, in file order, holding only the parser's
 * buffer. A row that cannot be read (bad quoting, a wrong number of fields) becomes a failed
 * `bad_request` item with its line; the header decides the columns. `line` is the physical line
 * where the row ends (the line it starts on, unless a quoted field spans lines).
 */
export async function* csvVerdicts(
  body: Readable,
  rules: RowRules,
  limits: CsvLimits,
  extraKinds: CsvExtraKinds = new Map(),
): AsyncGenerator<RowVerdict> {
  const parser = new LinedCsvParser({
    // A stray quote inside a field is kept as a character: csv-parse's recovery from a strict quote
    // error misreads the rows after it, and spreadsheets write such fields anyway.
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // The parser runs ahead of this loop: skipped records wait here until the rows before them are out.
  const skipped: Skipped[] = [];
  parser.on('skip', (error: CsvError) =>
    skipped.push({ line: parser.line(Number(error.lines) || 0), code: error.code }),
  );
  let bytes = 0;
  // The upload's physical lines: an unclosed quote runs to the end of the file, and csv-parse's
  // count of the lines inside it is off for CRLF files (its record is skipped, so not corrected).
  let newlines = 0;
  let endsWithNewline = false;
  const lastLineOfFile = () => (endsWithNewline ? newlines : newlines + 1);
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) newlines++;
    if (chunk.length) endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
    if (bytes > limits.maxBytes) {
      parser.destroy(
        new GatewayError(
          'payload_too_large',
          `The CSV is larger than ${limits.maxBytes} bytes; split it into several uploads.`,
        ),
      );
    }
  });
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);

  let columns: CsvColumn[] | undefined;
  let rows = 0;
  let lastLine = 1;
  const countRow = () => {
    if (++rows > limits.maxRows)
      throw new GatewayError(
        'payload_too_large',
        `The CSV has more than ${limits.maxRows} rows; split it into several uploads.`,
      );
  };
  const drain = function* (before: number): Generator<RowVerdict> {
    while (skipped.length && skipped[0].line < before) {
      const skip = skipped.shift() as Skipped;
      if (skip.code === 'CSV_MAX_RECORD_SIZE') {
        throw new GatewayError(
          'bad_request',
          `line ${lastLine + 1}: a row runs past ${MAX_RECORD_BYTES} bytes, most likely from a quote that is never closed; nothing was stored.`,
        );
      }
      countRow();
      // An unclosed quote is only noticed at the end of the file: the row starts after the last one read.
      const unclosed = /QUOTE_NOT_CLOSED/.test(skip.code);
      const line = unclosed ? lastLine + 1 : skip.line;
      const end = unclosed ? lastLineOfFile() : skip.line;
      const span = unclosed && end > line ? `, so lines ${line}-${end} are one unreadable row` : '';
      lastLine = Math.max(lastLine, end);
      yield {
        ok: false,
        key: `line:${line}`,
        line,
        code: 'bad_request',
        detail: `line ${line}: ${malformedReason(skip.code)}${span}`,
      };
    }
  };

  try {
    for await (const [record, line] of parser as AsyncIterable<LinedRecord>) {
      yield* drain(line);
      lastLine = line;
      if (!columns) {
        columns = csvColumns(record);
        continue;
      }
      countRow();
      if (record.length !== columns.length) {
        yield {
          ok: false,
          key: `line:${line}`,
          line,
          code: 'bad_request',
          detail: `line ${line}: ${record.length} fields, but the header has ${columns.length}`,
        };
        continue;
      }
      yield validateRow(csvRecordToUser(record, columns, extraKinds), rules, { n: line, line });
    }
    yield* drain(Number.POSITIVE_INFINITY);
  } finally {
    // Refused or failed part-way: the rest of the upload is read and dropped so the answer can be sent.
    body.unpipe(parser);
    body.resume();
  }
  if (!columns) {
    throw GatewayError.validation([{ field: 'body', message: 'the CSV has no header row' }]);
  }
}

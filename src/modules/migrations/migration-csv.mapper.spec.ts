import { Readable } from 'node:stream';
import { GatewayError } from '../../domain/errors';
import {
  csvColumns,
  csvExtraKinds,
  csvRecordToUser,
  csvVerdicts,
  type CsvLimits,
} from './migration-csv.mapper';
import { rowRules, type RowVerdict } from './migration-row.mapper';

const rules = rowRules('hostway', undefined);
const LIMITS: CsvLimits = { maxRows: 1000, maxBytes: 1024 * 1024 };

/** Feeds `csv` in small chunks, so records and quotes straddle chunk boundaries. */
async function verdicts(csv: string, limits = LIMITS): Promise<RowVerdict[]> {
  const chunks = csv.match(/[\s\S]{1,7}/g) ?? [];
  const out: RowVerdict[] = [];
  for await (const verdict of csvVerdicts(Readable.from(chunks.map((c) => Buffer.from(c))), rules, limits))
    out.push(verdict);
  return out;
}

const summary = (list: RowVerdict[]) =>
  list.map((v) => (v.ok ? [v.line, v.key] : [v.line, v.key, v.code, v.detail]));

describe('csvColumns', () => {
  it('maps user fields and extras.<name> columns, ignoring a BOM and spaces around names', () => {
    expect(csvColumns(['\uFEFFemail', ' firstName ', 'extras.userTypeId'])).toEqual([
      { field: 'email' },
      { field: 'firstName' },
      { extra: 'userTypeId' },
    ]);
  });

  it('refuses unknown, repeated and missing columns, naming each', () => {
    const refuse = (header: string[]) => {
      try {
        csvColumns(header);
      } catch (error) {
        return error instanceof GatewayError ? [error.code, error.errors?.map((e) => e.field)] : error;
      }
      return 'accepted';
    };
    expect(refuse(['email', 'nickname', 'extras.'])).toEqual([
      'validation_failed',
      ['header.nickname', 'header.extras.'],
    ]);
    expect(refuse(['email', 'email'])).toEqual(['validation_failed', ['header.email']]);
    expect(refuse(['firstName'])).toEqual(['validation_failed', ['header']]);
  });
});

describe('csvRecordToUser', () => {
  it('drops empty cells, reads quotaMb as a number, splits aliases on ; and gathers extras', () => {
    const columns = csvColumns(['email', 'quotaMb', 'aliases', 'plan', 'extras.master', 'extras.trialType']);
    expect(csvRecordToUser([' a@x.com ', '512', 'b@x.com; c@x.com;', '', 'yes', ''], columns)).toEqual({
      email: 'a@x.com',
      quotaMb: 512,
      aliases: ['b@x.com', 'c@x.com'],
      extras: { master: 'yes' },
    });
    expect(csvRecordToUser(['a@x.com', '1.5', '', '', '', ''], columns)).toEqual({
      email: 'a@x.com',
      quotaMb: '1.5',
    });
  });
});

describe('csvExtraKinds', () => {
  it('reads extras cells as the vendor documents the field', () => {
    const kinds = csvExtraKinds([
      { name: 'userTypeId', on: 'user', type: 'integer', description: '' },
      { name: 'master', on: 'user', type: '0 | 1', description: '' },
      { name: 'customIds', on: 'user', type: 'string[]', description: '' },
      { name: 'msisdn', on: 'user', type: 'string', description: '' },
      { name: 'spam', on: 'mailbox', type: 'integer', description: '' },
    ]);
    const columns = csvColumns([
      'email',
      'extras.userTypeId',
      'extras.master',
      'extras.customIds',
      'extras.msisdn',
    ]);
    expect(csvRecordToUser(['a@x.com', '3', '1', 'a; b', '0049170'], columns, kinds)).toEqual({
      email: 'a@x.com',
      extras: { userTypeId: 3, master: 1, customIds: ['a', 'b'], msisdn: '0049170' },
    });
    expect(csvRecordToUser(['a@x.com', 'three', '', '', ''], columns, kinds)).toEqual({
      email: 'a@x.com',
      extras: { userTypeId: 'three' },
    });
  });
});

describe('csvVerdicts', () => {
  it('handles quoting (commas, doubled quotes, stray quotes, line breaks in fields) and numbers physical lines', async () => {
    const csv = [
      'email,firstName,lastName',
      '"a@example.com","Ann, Jr.","O""Hara"',
      'b@example.com,"Two\nlines",Lee',
      '',
      'c@example.com,Cy,',
      'd@example.com,D"Arcy,"Quoted"x',
    ].join('\r\n');
    const list = await verdicts(csv);
    expect(summary(list)).toEqual([
      [2, 'a@example.com'],
      [4, 'b@example.com'],
      [6, 'c@example.com'],
      [7, 'd@example.com'],
    ]);
    expect(list.map((v) => v.ok && v.input.user)).toEqual([
      { email: 'a@example.com', firstName: 'Ann, Jr.', lastName: 'O"Hara' },
      { email: 'b@example.com', firstName: 'Two\nlines', lastName: 'Lee' },
      { email: 'c@example.com', firstName: 'Cy' },
      { email: 'd@example.com', firstName: 'D"Arcy', lastName: '"Quoted"x' },
    ]);
  });

  it('numbers physical lines after fields holding CRLF line breaks (csv-parse counts each as two)', async () => {
    const csv = [
      'email,firstName',
      'a@example.com,"Two\r\nlines"',
      'b@example.com,"Three\r\nmore\r\nlines"',
      'no-email,C',
      'd@example.com,D,extra',
      'e@example.com,E',
    ].join('\r\n');
    expect(summary(await verdicts(csv))).toEqual([
      [3, 'a@example.com'],
      [6, 'b@example.com'],
      [7, 'line:7', 'validation_failed', 'line 7: email must be an email address'],
      [8, 'line:8', 'bad_request', 'line 8: 3 fields, but the header has 2'],
      [9, 'e@example.com'],
    ]);
  });

  it('turns unreadable and invalid rows into failed verdicts with their line, in file order', async () => {
    const csv = [
      'email,firstName',
      'a@example.com,A',
      'no-email,D',
      'e@example.com,E,extra',
      'f@example.com',
      'g@example.com,G',
    ].join('\n');
    expect(summary(await verdicts(csv))).toEqual([
      [2, 'a@example.com'],
      [3, 'line:3', 'validation_failed', 'line 3: email must be an email address'],
      [4, 'line:4', 'bad_request', 'line 4: 3 fields, but the header has 2'],
      [5, 'line:5', 'bad_request', 'line 5: 1 fields, but the header has 2'],
      [6, 'g@example.com'],
    ]);
  });

  it('reports a quote that is never closed as one failed row where it starts', async () => {
    const csv = 'email,firstName\na@example.com,A\nb@example.com,"open\nc@example.com,C\nd@example.com,D';
    expect(summary(await verdicts(csv))).toEqual([
      [2, 'a@example.com'],
      [
        3,
        'line:3',
        'bad_request',
        'line 3: a quoted field is never closed, so lines 3-5 are one unreadable row',
      ],
    ]);
  });

  it('ends an unclosed quote at the last line of a CRLF file, and of a file ending in a line break', async () => {
    const lines = [
      'email,firstName',
      'a@example.com,A',
      'b@example.com,"open',
      'c@example.com,C',
      'd@example.com,D',
    ];
    for (const csv of [lines.join('\r\n'), `${lines.join('\r\n')}\r\n`, `${lines.join('\n')}\n`]) {
      expect(summary(await verdicts(csv))).toEqual([
        [2, 'a@example.com'],
        [
          3,
          'line:3',
          'bad_request',
          'line 3: a quoted field is never closed, so lines 3-5 are one unreadable row',
        ],
      ]);
    }
  });

  it('refuses an unknown column, an empty upload and a runaway field for the whole upload', async () => {
    await expect(verdicts('email,nickname\na@example.com,A\n')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(verdicts('')).rejects.toMatchObject({
      code: 'validation_failed',
      detail: 'body: the CSV has no header row',
    });
    const runaway = `email,firstName\na@example.com,"${'x'.repeat(70 * 1024)}\n`;
    await expect(verdicts(runaway)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('refuses more rows or bytes than the limits with payload_too_large', async () => {
    const rows = (n: number) =>
      ['email', ...Array.from({ length: n }, (_, i) => `u${i}@example.com`)].join('\n');
    await expect(verdicts(rows(5), { maxRows: 5, maxBytes: 1e6 })).resolves.toHaveLength(5);
    await expect(verdicts(rows(6), { maxRows: 5, maxBytes: 1e6 })).rejects.toMatchObject({
      code: 'payload_too_large',
      detail: 'The CSV has more than 5 rows; split it into several uploads.',
    });
    await expect(verdicts(rows(200), { maxRows: 1000, maxBytes: 1024 })).rejects.toMatchObject({
      code: 'payload_too_large',
      detail: 'The CSV is larger than 1024 bytes; split it into several uploads.',
    });
  });
});

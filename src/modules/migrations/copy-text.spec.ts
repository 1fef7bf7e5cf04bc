import { CopyText, copyField } from './copy-text';

describe('CopyText', () => {
  it('writes fields in COPY text format: specials escaped, null as \\N, UTF-8', () => {
    const text = new CopyText().row(
      `${copyField('a\\b\tc\nd\re')}\t${copyField(null)}\t${copyField('Zoë 😀')}\n`,
    );
    expect(text.bytes().toString('utf8')).toBe('a\\\\b\\tc\\nd\\re\t\\N\tZoë 😀\n');
  });

  it('grows past its first buffer and starts empty again after clear', () => {
    const text = new CopyText();
    const row = `${'x'.repeat(999)}\n`;
    for (let i = 0; i < 3000; i++) text.row(row);
    expect(text.bytes().length).toBe(3_000_000);
    expect(text.bytes().toString('utf8')).toBe(row.repeat(3000));
    text.clear();
    expect(text.row('y').bytes().toString('utf8')).toBe('y');
  });
});

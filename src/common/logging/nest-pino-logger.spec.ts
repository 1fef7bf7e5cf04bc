import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { createLogger } from './logger';
import { NestPinoLogger } from './nest-pino-logger';

function capture(): { lines: Record<string, unknown>[]; logger: NestPinoLogger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: new NestPinoLogger(createLogger('info', sink)) };
}

describe('NestPinoLogger', () => {
  it("keeps an object message's error when Nest's Logger.error(object, message) is used", () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(logger);
    new Logger('Auditor').error({ err: new Error('db down'), requestId: 'r1' }, 'audit write failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'audit write failed',
      context: 'Auditor',
      requestId: 'r1',
      err: { message: 'db down' },
    });
  });

  it('logs a string error with its trace', () => {
    const { lines, logger } = capture();
    logger.error('boom', 'stack here', 'Ctx');
    expect(lines[0]).toMatchObject({ msg: 'boom', trace: 'stack here', context: 'Ctx' });
  });
});

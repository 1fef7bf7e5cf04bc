import pino, { type DestinationStream, type Logger } from 'pino';
import { redact } from '../../domain/redaction';
import { BatchedDestination } from './batched-destination';

let stampedAt = 0;
let stamp = '';

/** pino's ISO `time`, formatted once per millisecond: busy processes write several lines in each. */
function isoTime(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

/** Structured JSON logs; every secret-named field is redacted at any depth before it is written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mailroom' },
      timestamp: isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["idempotency-key"]'],
        censor: '[redacted]',
      },
      formatters: {
        log: (object) => redact(object) as Record<string, unknown>,
      },
    },
    destination ?? stdout(),
  );
}

/**
 * stdout in batches of about 4 KB, each one synchronous write: no log line waits for a worker
 * thread, and nothing pending is lost when the process exits.
 */
function stdout(): DestinationStream {
  const batched = new BatchedDestination(pino.destination({ dest: 1, sync: true }));
  process.once('exit', () => batched.flushSync());
  return batched;
}

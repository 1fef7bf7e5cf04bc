import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export type MailroomClient = Client<paths>;

/** A client for one gateway and one API key; every path, parameter and body is typed. */
export function createMailroomClient(
  options: ClientOptions & { baseUrl: string; apiKey: string },
): MailroomClient {
  const { apiKey, headers, ...rest } = options;
  return createClient<paths>({ ...rest, headers: { ...headers, authorization: `Bearer ${apiKey}` } });
}

import type { HostwayMailbox } from './hostway.store';

/** `GET …/usernames` query, as the reference documents it. */
export interface ListingQuery {
  filterUsername?: string;
  page?: string;
  pageSize?: string;
  sortField?: string;
  sortOrder?: string;
  details?: string;
}

export interface Link {
  href: string;
  rel: string;
}

export interface ListingItem {
  username: string;
  master: number;
  quota: number;
  webmailAccess?: string;
  trialType?: string;
  trialExpiration?: string;
}

export type ListingResult =
  { ok: true; body: { list: ListingItem[]; links: Link[] } } | { ok: false; errors: Record<string, string> };

const POSITIVE_INT = /^[1-9][0-9]*$/;

/** `*` matches any run of characters; everything else is literal; case-insensitive like mailbox names. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'i');
  return (value) => regex.test(value);
}

function validate(query: ListingQuery): Record<string, string> {
  const errors: Record<string, string> = {};
  if (query.page !== undefined && query.pageSize === undefined) {
    errors.pageSize = 'The pageSize parameter is required when page is provided';
  }
  if (query.pageSize !== undefined && query.page === undefined) {
    errors.page = 'The page parameter is required when pageSize is provided';
  }
  if (query.page !== undefined && !POSITIVE_INT.test(query.page)) errors.page = 'Must be a positive integer';
  if (query.pageSize !== undefined && !POSITIVE_INT.test(query.pageSize)) {
    errors.pageSize = 'Must be a positive integer';
  }
  if (query.sortField !== undefined && query.sortField !== 'username' && query.sortField !== 'quota') {
    errors.sortField = 'Allowed values are username and quota';
  }
  if (query.sortOrder !== undefined && query.sortOrder !== 'asc' && query.sortOrder !== 'desc') {
    errors.sortOrder = 'Allowed values are asc and desc';
  }
  return errors;
}

/** Key order follows the reference's response template: username, master, quota, webmailAccess, trial*. */
function toItem(m: HostwayMailbox, details: boolean): ListingItem {
  return {
    username: m.username,
    master: m.master,
    quota: m.quota,
    ...(details ? { webmailAccess: m.type } : {}),
    ...(m.trialType === undefined ? {} : { trialType: m.trialType }),
    ...(m.trialExpiration === undefined ? {} : { trialExpiration: m.trialExpiration }),
  };
}

function compare(
  field: 'username' | 'quota',
  order: 'asc' | 'desc',
): (a: HostwayMailbox, b: HostwayMailbox) => number {
  const sign = order === 'desc' ? -1 : 1;
  const byName = (a: HostwayMailbox, b: HostwayMailbox): number =>
    a.username.toLowerCase() < b.username.toLowerCase()
      ? -1
      : a.username.toLowerCase() > b.username.toLowerCase()
        ? 1
        : 0;
  if (field === 'username') return (a, b) => sign * byName(a, b);
  // Ties on quota fall back to the username so that pages never overlap.
  return (a, b) => sign * (a.quota - b.quota) || byName(a, b);
}

/**
 * The reference's listing. Choices where it is silent (documented in the simulator's README section):
 * - without sortField the list is ordered by username ascending;
 * - unpaged, `links` holds only `self`, ending in `/usernames/` with no query (as in the examples);
 * - paged, the links carry only `?page=N&pageSize=M`; `previous` is left out on the first page and
 *   `next` on the last; `last` is page 1 for an empty result; a page past the end is an empty list.
 */
export function listMailboxes(
  mailboxes: Iterable<HostwayMailbox>,
  query: ListingQuery,
  usernamesUrl: string,
): ListingResult {
  const errors = validate(query);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const matches = query.filterUsername === undefined ? () => true : wildcardMatcher(query.filterUsername);
  const field = query.sortField === 'quota' ? 'quota' : 'username';
  const order = query.sortOrder === 'desc' ? 'desc' : 'asc';
  const details = query.details === '1';
  const all = [...mailboxes].filter((m) => matches(m.username)).sort(compare(field, order));

  if (query.page === undefined || query.pageSize === undefined) {
    return {
      ok: true,
      body: { list: all.map((m) => toItem(m, details)), links: [{ href: `${usernamesUrl}/`, rel: 'self' }] },
    };
  }

  const page = Number(query.page);
  const pageSize = Number(query.pageSize);
  const lastPage = Math.max(1, Math.ceil(all.length / pageSize));
  const at = (n: number): string => `${usernamesUrl}?page=${n}&pageSize=${pageSize}`;
  const links: Link[] = [
    { href: at(page), rel: 'self' },
    { href: at(1), rel: 'first' },
  ];
  if (page > 1) links.push({ href: at(Math.min(page - 1, lastPage)), rel: 'previous' });
  if (page < lastPage) links.push({ href: at(page + 1), rel: 'next' });
  links.push({ href: at(lastPage), rel: 'last' });

  const slice = all.slice((page - 1) * pageSize, page * pageSize);
  return { ok: true, body: { list: slice.map((m) => toItem(m, details)), links } };
}

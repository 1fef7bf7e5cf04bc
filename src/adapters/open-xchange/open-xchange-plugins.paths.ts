/**
 * Every Cloud-Plugins admin path the adapter calls, relative to `pluginsBaseUrl` +
 * `pluginsPathPrefix`. Only the per-user `custom`, `msisdn`, `classofservice`, `spamlevel` and
 * `uidname` attributes and `sharedmaildomains` are confirmed by public sources (vendors/PROTOCOLS.md);
 * the others follow the documented pattern. A deployment whose paths differ corrects them here.
 * Placeholders in braces are filled (percent-encoded) by `pluginPath`.
 */
export const OX_PLUGIN_PATHS = {
  userAttribute: '/contexts/{contextid}/users/{userid}/{attribute}',
  /** "change or remove msisdn or custom id(s)" (POST, custom as an array): the reference gives no path. */
  userData: '/contexts/{contextid}/users/{userid}',
  userList: '/contexts/{contextid}/users/{userid}/{list}',
  userListEntry: '/contexts/{contextid}/users/{userid}/{list}/{value}',
  explicitDomains: '/contexts/{contextid}/domains',
  explicitDomain: '/contexts/{contextid}/domains/{domain}',
} as const;

export type OxPluginPath = keyof typeof OX_PLUGIN_PATHS;

/** Per-user attributes the adapter reads and writes through `userAttribute`. */
export const OX_USER_ATTRIBUTES = [
  'antivirus',
  'msisdn',
  'custom',
  'oxdeliverystatus',
  'oxlegacyref',
  'oxantiphishing',
  'quotamode',
] as const;

export type OxUserAttribute = (typeof OX_USER_ATTRIBUTES)[number];

/** Per-user address lists reachable through `userList` and `userListEntry`. */
export const OX_USER_LISTS = ['blacklist', 'whitelist'] as const;

export type OxUserList = (typeof OX_USER_LISTS)[number];

export function pluginPath(name: OxPluginPath, values: Record<string, string | number>): string {
  return OX_PLUGIN_PATHS[name].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`Cloud-Plugins path ${name} needs ${key}`);
    return encodeURIComponent(String(value));
  });
}

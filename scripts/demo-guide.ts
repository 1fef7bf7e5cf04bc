import type { SeededTenant } from './demo-seed';
import { DEMO_VENDORS, type DemoCredentials, type DemoSimulatorUrls } from './demo-simulators';

/** The vendor simulators as a reader wants them: URL, credentials and what is in them. */
export function simulatorsGuide(urls: DemoSimulatorUrls): string {
  const ox = DEMO_VENDORS.openXchange;
  const hw = DEMO_VENDORS.hostway;
  const ms = DEMO_VENDORS.mailstore;
  const dm = DEMO_VENDORS.datamotion;
  const creds = (c: DemoCredentials): string => `${c.username} / ${c.password}`;
  return [
    'Vendor simulators (fault controls on each: /__sim/faults, /__sim/state, /__sim/requests, /__sim/reset)',
    `  Open-Xchange  ${urls.openXchange}`,
    `    Cloud Provisioning v2 /cloudapi/v2 (brand ${creds(ox.brand)}), Cloud-Plugins /oxaas/v1/admin (${creds(ox.plugins)})`,
    `    context "${ox.context}" (id ${ox.contextId}): john.doe@${ox.domain}, jane.roe@${ox.domain}; forward sales@${ox.domain}`,
    `  Hostway       ${urls.hostway}`,
    `    Basic ${creds(hw.credentials)}; account "${hw.account}", domain ${hw.domain}: mailboxes info, sales`,
    `  MailStore SPE ${urls.mailstore}`,
    `    Basic ${creds(ms.credentials)}; instance "${ms.instanceId}": stores "Archive 2024", "Archive 2025" (one planted inconsistency)`,
    `  DataMotion    ${urls.datamotion}${dm.secureMailPath} (company admin /Remote API: ${urls.datamotion}${dm.remotePath})`,
    `    Logon ${dm.credentials.userIdOrEmail} / ${dm.credentials.password}, Ocp-Apim-Subscription-Key ${dm.credentials.subscriptionKey}; company ${dm.companyId}, user type ${dm.userTypeId}: alice@${dm.domain}; /__sim/config, /__sim/stats, /__sim/logons`,
  ].join('\n');
}

/** Shell lines a reader can paste: variables first, then one working call per feature. */
export function curlGuide(publicUrl: string, adminKey: string, tenants: SeededTenant[]): string {
  const keyOf = (id: string): string => tenants.find((t) => t.id === id)?.key ?? '<missing>';
  const ox = DEMO_VENDORS.openXchange.domain;
  const hw = DEMO_VENDORS.hostway.domain;
  const dm = DEMO_VENDORS.datamotion.domain;
  const auth = (variable: string): string => `-H "Authorization: Bearer $${variable}"`;
  const json = "-H 'Content-Type: application/json'";
  const lines = [
    'Tenants',
    ...tenants.map(
      (t) =>
        `  ${t.id.padEnd(13)} ${t.provider.padEnd(13)} ${t.service.padEnd(8)} connection ${t.connectionId} ` +
        `check: ${t.check.ok ? 'ok' : 'FAILED'} (${t.check.detail})`,
    ),
    '',
    'Paste into a shell (tenant keys are new on every seed; the previous demo keys are revoked):',
    '',
    `export MAILROOM=${publicUrl}`,
    `export ADMIN_KEY='${adminKey}'`,
    `export DEMO_KEY='${keyOf('demo')}'  # tenant demo (Open-Xchange)`,
    `export HOSTWAY_KEY='${keyOf('demo-hostway')}'  # tenant demo-hostway (Hostway)`,
    `export ARCHIVE_KEY='${keyOf('demo-archive')}'  # tenant demo-archive (MailStore)`,
    `export SECURE_KEY='${keyOf('demo-securemail')}'  # tenant demo-securemail (DataMotion)`,
    '',
    '# Providers and the operations each supports',
    `curl -s $MAILROOM/v1/providers ${auth('DEMO_KEY')}`,
    '# Open-Xchange: create a user, read it back, list with a wildcard, mailbox settings',
    `curl -s -X POST $MAILROOM/v1/tenants/demo/users ${auth('DEMO_KEY')} ${json} \\`,
    `  -d '{"email":"ada.lovelace@${ox}","firstName":"Ada","lastName":"Lovelace","password":"Demo-Passw0rd!","mailbox":{"quotaMb":1024,"plan":"cloud_mail"}}'`,
    `curl -s $MAILROOM/v1/tenants/demo/users/ada.lovelace@${ox} ${auth('DEMO_KEY')}`,
    `curl -s "$MAILROOM/v1/tenants/demo/users?q=j*&sort=email&limit=10" ${auth('DEMO_KEY')}`,
    `curl -s $MAILROOM/v1/tenants/demo/users/john.doe@${ox}/mailbox ${auth('DEMO_KEY')}`,
    `curl -s -X PATCH $MAILROOM/v1/tenants/demo/users/john.doe@${ox}/mailbox ${auth('DEMO_KEY')} ${json} -d '{"quotaMb":3072}'`,
    '# Aliases and domains',
    `curl -s -X PUT $MAILROOM/v1/tenants/demo/aliases/team@${ox} ${auth('DEMO_KEY')} ${json} \\`,
    `  -d '{"recipients":["john.doe@${ox}","jane.roe@${ox}"]}'`,
    `curl -s $MAILROOM/v1/tenants/demo/aliases ${auth('DEMO_KEY')}`,
    `curl -s $MAILROOM/v1/tenants/demo/domains ${auth('DEMO_KEY')}`,
    '# Hostway: the same API, another vendor (listing needs ?domain=)',
    `curl -s -X POST $MAILROOM/v1/tenants/demo-hostway/users ${auth('HOSTWAY_KEY')} ${json} \\`,
    `  -d '{"email":"test.one@${hw}","password":"Demo-Passw0rd!","mailbox":{"quotaMb":512,"plan":"standard"}}'`,
    `curl -s "$MAILROOM/v1/tenants/demo-hostway/users?domain=${hw}&q=*&sort=quota&order=desc" ${auth('HOSTWAY_KEY')}`,
    '# MailStore archive: stores, archive users, a verification job (takes a few seconds)',
    `curl -s $MAILROOM/v1/tenants/demo-archive/archive/stores ${auth('ARCHIVE_KEY')}`,
    `curl -s "$MAILROOM/v1/tenants/demo-archive/users?service=archive" ${auth('ARCHIVE_KEY')}`,
    `curl -s -i -X POST $MAILROOM/v1/tenants/demo-archive/archive/verify ${auth('ARCHIVE_KEY')} ${json} -d '{}'`,
    `curl -s "$MAILROOM/v1/jobs?tenantId=demo-archive" ${auth('ARCHIVE_KEY')}`,
    '# DataMotion secure mail: create (Account/MigrateUsers), change, read and list (/Remote)',
    `curl -s -X POST "$MAILROOM/v1/tenants/demo-securemail/users?service=secure-mail" ${auth('SECURE_KEY')} ${json} \\`,
    `  -d '{"email":"bob@${dm}","firstName":"Bob","lastName":"Secure","password":"Demo-Passw0rd!"}'`,
    `curl -s -X PATCH "$MAILROOM/v1/tenants/demo-securemail/users/bob@${dm}?service=secure-mail" ${auth('SECURE_KEY')} ${json} -d '{"firstName":"Robert"}'`,
    `curl -s "$MAILROOM/v1/tenants/demo-securemail/users?service=secure-mail" ${auth('SECURE_KEY')}`,
    '# A downstream system (HR) creates a user with a signed webhook (Standard Webhooks, openssl)',
    ...signedWebhookShell('DEMO_KEY', 'demo', `grace.hopper@${ox}`),
    `curl -s "$MAILROOM/v1/webhook-events?sourceId=$SOURCE" ${auth('DEMO_KEY')}`,
    '# Audit log (every mutation with the vendor calls it made)',
    `curl -s "$MAILROOM/v1/audit-events?tenantId=demo&limit=5" ${auth('DEMO_KEY')}`,
    '',
    `Docs: ${publicUrl}/docs   Health: ${publicUrl}/health/ready   Metrics: ${publicUrl}/metrics   Queues: ${publicUrl}/admin/queues`,
  ];
  return lines.join('\n');
}

/**
 * Shell lines that create a webhook source for `tenantId` (key in `$<keyVariable>`) and post a
 * `user.created` signed with plain openssl: HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with
 * the base64-decoded secret after `whsec_`. Leaves `$SOURCE` and `$SECRET` set.
 */
export function signedWebhookShell(keyVariable: string, tenantId: string, email: string): string[] {
  const body = JSON.stringify({
    type: 'user.created',
    data: { email, firstName: 'Grace', lastName: 'Hopper', password: 'Ch4nge-me!now' },
  });
  // String.raw: the backslashes are the shell's.
  return [
    'SOURCE=hr-$(date +%s)',
    String.raw`SECRET=$(curl -s -X POST $MAILROOM/v1/webhook-sources -H "Authorization: Bearer $${keyVariable}" -H 'Content-Type: application/json' -d "{\"id\":\"$SOURCE\",\"tenantId\":\"${tenantId}\"}" | sed -E 's/.*"secret":"([^"]+)".*/\1/')`,
    `BODY='${body}'`,
    'MSG_ID=msg_$(date +%s%N); TS=$(date +%s)',
    String.raw`KEY_HEX=$(printf '%s' "${'$'}{SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')`,
    `SIG=$(printf '%s' "$MSG_ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX -binary | base64)`,
    `curl -s -X POST $MAILROOM/v1/webhooks/$SOURCE -H 'Content-Type: application/json' -H "webhook-id: $MSG_ID" -H "webhook-timestamp: $TS" -H "webhook-signature: v1,$SIG" -d "$BODY"`,
  ];
}

import { Webhook } from 'standardwebhooks';
const M = process.env.MAILROOM!; const DEMO = process.env.DEMO_KEY!; const HW = process.env.HOSTWAY_KEY!;
const j = async (method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) => {
  const r = await fetch(M + path, { method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const t = await r.text(); let b: any; try { b = JSON.parse(t); } catch { b = t; }
  return { s: r.status, ct: r.headers.get('content-type'), b };
};
const oxReq = async () => ((await (await fetch('http://127.0.0.1:8081/__sim/requests')).json()) as any[]).length;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
function sign(secret: string, id: string, ts: number, body: string) { return new Webhook(secret).sign(id, new Date(ts * 1000), body); }
const send = (src: string, id: string, ts: number, body: string, sig: string) => j('POST', `/v1/webhooks/${src}`, null, body, { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig });
async function main() {
  const src = `walk-${Date.now()}`;
  const created = await j('POST', '/v1/webhook-sources', DEMO, { id: src, tenantId: 'demo' });
  console.log('create source', created.s, String(created.b.secret).slice(0, 6));
  const secret = created.b.secret as string;
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: 'user.created', data: { email: `wh-${Date.now()}@demo.example`, firstName: 'Web', lastName: 'Hook', password: 'Wh00k-Pass-2026!' } });
  const before = await oxReq();
  const a = await send(src, 'msg_1', now, body, sign(secret, 'msg_1', now, body));
  console.log('first delivery', a.s, a.b.status);
  await wait(2500);
  const mid = await oxReq();
  const b = await send(src, 'msg_1', now, body, sign(secret, 'msg_1', now, body));
  await wait(1500);
  console.log('repeat', b.s, b.b.status, 'ox calls for first', mid - before, 'after repeat', (await oxReq()) - mid);
  const flipped = body.replace('Web', 'Wec');
  console.log('flipped byte', (await send(src, 'msg_2', now, flipped, sign(secret, 'msg_2', now, body))).s);
  console.log('wrong secret', (await send(src, 'msg_3', now, body, sign('whsec_' + Buffer.alloc(24, 7).toString('base64'), 'msg_3', now, body))).s);
  const r301 = await send(src, 'msg_4', now - 301, body.replace('wh-', 'old-'), sign(secret, 'msg_4', now - 301, body.replace('wh-', 'old-')));
  console.log('301 s old', r301.s, r301.ct, r301.b.code);
  const b299 = body.replace('wh-', 'ok299-');
  console.log('299 s old', (await send(src, 'msg_5', now - 299, b299, sign(secret, 'msg_5', now - 299, b299))).s);
  console.log('missing headers', (await j('POST', `/v1/webhooks/${src}`, null, body)).s);
  console.log('unknown source', (await send('nope-src', 'msg_6', now, body, sign(secret, 'msg_6', now, body))).s);
  const bad = JSON.stringify({ type: 'user.exploded', data: {} });
  const u = await send(src, 'msg_7', now, bad, sign(secret, 'msg_7', now, bad));
  console.log('unknown type', u.s, u.b.code, u.b.detail?.slice(0, 80));
  const badData = JSON.stringify({ type: 'user.created', data: { email: 'not-an-email', extra: 1 } });
  const v = await send(src, 'msg_8', now, badData, sign(secret, 'msg_8', now, badData));
  console.log('bad data', v.s, JSON.stringify(v.b.errors));
  const notJson = '{"type": user.created';
  console.log('signed non-JSON', (await send(src, 'msg_9', now, notJson, sign(secret, 'msg_9', now, notJson))).s);
  const big = JSON.stringify({ type: 'user.created', data: { email: 'x@demo.example', firstName: 'x'.repeat(2_000_000) } });
  console.log('oversized', (await send(src, 'msg_10', now, big, sign(secret, 'msg_10', now, big))).s);
  // concurrent duplicates: 50 events x4
  const evs = Array.from({ length: 50 }, (_, n) => { const bd = JSON.stringify({ type: 'user.created', data: { email: `dup${n}-${now}@demo.example`, firstName: 'D', lastName: `U${n}`, password: 'Dup-Pass-2026!' } }); return { id: `dup_${n}`, bd, sig: sign(secret, `dup_${n}`, now, bd) }; });
  const all = await Promise.all(evs.flatMap((e) => [0, 1, 2, 3].map(() => send(src, e.id, now, e.bd, e.sig))));
  console.log('concurrent 200: 202s', all.filter((r) => r.s === 202).length, '200s', all.filter((r) => r.s === 200).length, 'other', all.filter((r) => r.s >= 300).length);
  await wait(6000);
  const list = await j('GET', `/v1/webhook-events?sourceId=${src}&status=processed&limit=100`, DEMO);
  const dupProcessed = list.b.data.filter((e: any) => e.webhookId.startsWith('dup_')).length;
  const users = await j('GET', `/v1/tenants/demo/users?q=dup*&limit=100`, DEMO);
  console.log('processed dup events', dupProcessed, 'dup users at OX', users.b.data?.filter((x: any) => x.email.endsWith(`-${now}@demo.example`)).length);
  const failed = await j('GET', `/v1/webhook-events?sourceId=${src}&status=failed`, DEMO);
  console.log('failed events stored', failed.b.data.map((e: any) => `${e.webhookId}:${e.error?.code}`).join(' '));
  // rotation
  const rot = await j('POST', `/v1/webhook-sources/${src}/rotate-secret`, DEMO, { overlapSeconds: 3 });
  const nb = (n: number) => JSON.stringify({ type: 'user.deleted', data: { email: `nobody${n}@demo.example` } });
  const t2 = Math.floor(Date.now() / 1000);
  console.log('rotate', rot.s, 'old during overlap', (await send(src, 'rot_1', t2, nb(1), sign(secret, 'rot_1', t2, nb(1)))).s, 'new', (await send(src, 'rot_2', t2, nb(2), sign(rot.b.secret, 'rot_2', t2, nb(2)))).s);
  await wait(4000);
  const t3 = Math.floor(Date.now() / 1000);
  console.log('after overlap old', (await send(src, 'rot_3', t3, nb(3), sign(secret, 'rot_3', t3, nb(3)))).s, 'new', (await send(src, 'rot_4', t3, nb(4), sign(rot.b.secret, 'rot_4', t3, nb(4)))).s);
  // migration.requested
  const mb = JSON.stringify({ type: 'migration.requested', data: { service: 'mail', users: [{ email: `mig-${t3}@demo.example`, firstName: 'M', lastName: 'R', password: 'Mig-Pass-2026!' }] } });
  const m = await send(src, 'mig_1', t3, mb, sign(rot.b.secret, 'mig_1', t3, mb));
  await wait(4000);
  const me = await j('GET', `/v1/webhook-events/${m.b.eventId}`, DEMO);
  console.log('migration.requested', m.s, me.b.status, JSON.stringify(me.b.result));
  // isolation
  console.log('other tenant source', (await j('GET', `/v1/webhook-sources/${src}`, HW)).s, 'events', (await j('GET', `/v1/webhook-events/${m.b.eventId}`, HW)).s, 'list', (await j('GET', `/v1/webhook-events?sourceId=${src}`, HW)).b.data?.length);
  const audit = await j('GET', `/v1/audit-events?limit=5&tenantId=demo`, DEMO);
  console.log('audit actors', JSON.stringify((audit.b.data ?? []).map((e: any) => e.actor)).slice(0, 200));
  const srcView = await j('GET', `/v1/webhook-sources/${src}`, DEMO);
  console.log('secret in source view?', JSON.stringify(srcView.b).includes('whsec_'));
}
main().catch((e) => { console.error(e); process.exit(1); });

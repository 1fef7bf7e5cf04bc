import { Webhook } from 'standardwebhooks';
const M = process.env.MAILROOM!; const DEMO = process.env.DEMO_KEY!; const HW = process.env.HOSTWAY_KEY!;
async function main() {
  const src = `walkb-${Date.now()}`;
  const c = await (await fetch(`${M}/v1/webhook-sources`, { method: 'POST', headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: src, tenantId: 'demo' }) })).json() as any;
  const ts = Math.floor(Date.now() / 1000) - 299;
  const body = JSON.stringify({ type: 'user.deleted', data: { email: 'nobody299@demo.example' } });
  const r = await fetch(`${M}/v1/webhooks/${src}`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'm299', 'webhook-timestamp': String(ts), 'webhook-signature': new Webhook(c.secret).sign('m299', new Date(ts * 1000), body) }, body });
  console.log('299 s old', r.status, await r.text());
  const l = await fetch(`${M}/v1/webhook-events?sourceId=${src}`, { headers: { authorization: `Bearer ${HW}` } });
  console.log('other tenant list', l.status, (await l.text()).slice(0, 200));
  await new Promise((res) => setTimeout(res, 2000));
  const a = await fetch(`${M}/v1/audit-events?limit=200&tenantId=demo`, { headers: { authorization: `Bearer ${DEMO}` } });
  const d = (await a.json()) as any;
  console.log('webhook-actor audit events', d.data.filter((e: any) => e.actor.type === 'webhook').slice(0, 3).map((e: any) => `${e.action} ${e.actor.id} ${e.outcome}`));
}
main();

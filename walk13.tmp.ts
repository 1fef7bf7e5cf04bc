const M = process.env.MAILROOM!; const K: Record<string, string> = { demo: process.env.DEMO_KEY!, 'demo-hostway': process.env.HOSTWAY_KEY!, 'demo-archive': process.env.ARCHIVE_KEY!, 'demo-securemail': process.env.SECURE_KEY! };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function req(method: string, path: string, key: string, body?: string, ct = 'application/json') {
  const r = await fetch(M + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': ct }, body });
  const t = await r.text(); let b: any; try { b = JSON.parse(t); } catch { b = t; } return { s: r.status, ct: r.headers.get('content-type'), loc: r.headers.get('location'), b };
}
async function done(id: string, key: string) { for (;;) { const j = await req('GET', `/v1/jobs/${id}`, key); if (['succeeded', 'failed', 'partially_failed', 'cancelled'].includes(j.b.state)) return j.b; await wait(300); } }
const dm = async () => (await (await fetch('http://127.0.0.1:8083/__sim/state')).json()) as any;
const CANARY = 'Canary-Pw-7731!';
function csv(tag: string) {
  const rows = ['email,firstName,lastName,password'];
  for (let i = 1; i <= 400; i++) {
    let email = `${tag}${i}@securemail.example`, first = 'Csv', last = `User${i}`;
    if (i % 40 === 0) email = `bad-email-${i}`;
    if (i % 55 === 0) first = 'x'.repeat(51);
    if (i % 97 === 0) email = `${tag}${i - 1}@securemail.example`;
    if (i === 3) { rows.push(`${email},"Multi\r\nline",${last},${CANARY}`); continue; }
    if (i === 200) { rows.push(`${email},"unclosed,${last},${CANARY}`); continue; }
    rows.push(`${email},${first},${last},${CANARY}`);
  }
  return rows.join('\r\n') + '\r\n';
}
async function main() {
  const key = K['demo-securemail'];
  const tag = `c${Date.now() % 100000}x`;
  const before = (await dm()).stats ?? {};
  const dry = await req('POST', `/v1/tenants/demo-securemail/migrations?service=secure-mail&dryRun=true&batchSize=50`, key, csv(tag), 'text/csv');
  const dryJob = await done(dry.b.id, key);
  const afterDry = (await dm()).stats ?? {};
  console.log('dry run', dry.s, dryJob.state, JSON.stringify(dryJob.result?.codes), 'MigrateUsers calls', (afterDry.migrateUsersCalls ?? 0) - (before.migrateUsersCalls ?? 0));
  const up = await req('POST', `/v1/tenants/demo-securemail/migrations?service=secure-mail&batchSize=50`, key, csv(tag), 'text/csv');
  const job = await done(up.b.id, key);
  const after = (await dm()).stats ?? {};
  console.log('csv', up.s, up.loc, job.state, JSON.stringify(job.result?.codes), 'calls', after.migrateUsersCalls - afterDry.migrateUsersCalls, 'largest batch', after.largestBatch);
  const accounts = (await dm()).accounts.filter((a: any) => a.email.startsWith(tag)).length;
  const failed = await req('GET', `/v1/jobs/${up.b.id}/items?state=failed&limit=100`, key);
  console.log('accounts at sim', accounts, 'failed items', failed.b.data.length);
  for (const it of failed.b.data.slice(0, 12)) console.log('  ', it.key, it.code, (it.detail ?? '').slice(0, 90));
  const allItems = JSON.stringify((await req('GET', `/v1/jobs/${up.b.id}/items?limit=500`, key)).b);
  console.log('canary in items API', allItems.includes(CANARY), 'in audit', JSON.stringify((await req('GET', `/v1/audit-events?limit=200&tenantId=demo-securemail`, key)).b).includes(CANARY));
  for (const t of ['demo', 'demo-hostway', 'demo-archive']) {
    const domain = t === 'demo-archive' ? 'archive.example' : 'demo.example';
    const users = Array.from({ length: 20 }, (_, n) => ({ email: `j${tag}${n}@${domain}`, firstName: 'Json', lastName: `N${n}`, password: 'Json-Pass-2026!' }));
    const r = await req('POST', `/v1/tenants/${t}/migrations`, K[t], JSON.stringify({ service: t === 'demo-archive' ? 'archive' : 'mail', users, options: { batchSize: 10 } }));
    const d = r.s === 202 ? await done(r.b.id, K[t]) : null;
    console.log('json into', t, r.s, d?.state, JSON.stringify(d?.result?.codes ?? r.b));
  }
  // outage mid-run
  const big = ['email,firstName,lastName,password', ...Array.from({ length: 3000 }, (_, i) => `o${tag}${i}@securemail.example,Out,Age${i},${CANARY}`)].join('\n');
  await fetch('http://127.0.0.1:8083/__sim/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perCallLatencyMs: 100 }) });
  const o = await req('POST', `/v1/tenants/demo-securemail/migrations?service=secure-mail&batchSize=50`, key, big, 'text/csv');
  await wait(1500); await fetch('http://127.0.0.1:8083/__sim/down', { method: 'POST' }); await wait(8000);
  const mid = await req('GET', `/v1/jobs/${o.b.id}`, key);
  console.log('during outage', mid.b.state, JSON.stringify(mid.b.progress), 'waitingUntil', mid.b.progress?.waitingUntil ?? mid.b.stats?.waitingUntil);
  await fetch('http://127.0.0.1:8083/__sim/up', { method: 'POST' });
  const od = await done(o.b.id, key);
  await fetch('http://127.0.0.1:8083/__sim/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perCallLatencyMs: 0 }) });
  console.log('after outage', od.state, JSON.stringify(od.result?.codes), 'at sim', (await dm()).accounts.filter((a: any) => a.email.startsWith(`o${tag}`)).length);
  // cancel + retry
  await fetch('http://127.0.0.1:8083/__sim/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perCallLatencyMs: 200 }) });
  const cbig = big.replaceAll(`o${tag}`, `k${tag}`);
  const c = await req('POST', `/v1/tenants/demo-securemail/migrations?service=secure-mail&batchSize=50`, key, cbig, 'text/csv');
  await wait(1500);
  const cr = await req('POST', `/v1/jobs/${c.b.id}/cancel`, key);
  const cd = await done(c.b.id, key);
  const atCancel = (await dm()).accounts.filter((a: any) => a.email.startsWith(`k${tag}`)).length; await wait(2000);
  console.log('cancel', cr.s, cd.state, 'at sim', atCancel, 'two seconds later', (await dm()).accounts.filter((a: any) => a.email.startsWith(`k${tag}`)).length);
  await fetch('http://127.0.0.1:8083/__sim/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ perCallLatencyMs: 0 }) });
  const rt = await req('POST', `/v1/jobs/${up.b.id}/retry`, key);
  const rd = rt.s < 300 ? await done(up.b.id, key) : null;
  console.log('retry of the bad-row job', rt.s, rd?.state, JSON.stringify(rd?.result?.codes ?? rt.b));
}
main().catch((e) => { console.error(e); process.exit(1); });

import { DEMO_VENDORS, type DemoSimulatorUrls } from './demo-simulators';

/** What the seed talks to: the gateway's public API (never its database) and where the simulators are. */
export interface SeedTarget {
  gatewayUrl: string;
  adminKey: string;
  simulators: DemoSimulatorUrls;
}

export interface SeededTenant {
  id: string;
  provider: string;
  service: 'mail' | 'archive' | 'secure-mail';
  connectionId: string;
  /** A fresh tenant-bound admin key; the previous demo key of the tenant is revoked. */
  key: string;
  check: { ok: boolean; detail: string };
}

interface DemoTenantPlan {
  id: string;
  name: string;
  provider: string;
  service: SeededTenant['service'];
  baseUrl: string;
  credentials: Record<string, string>;
  settings: Record<string, string | number>;
}

interface ConnectionView {
  id: string;
  provider: string;
  services: string[];
}

interface ApiKeyView {
  id: string;
  name: string;
  tenantId: string | null;
  revokedAt: string | null;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const DEMO_KEY_NAME = 'demo-admin';

export function demoTenantPlans(simulators: DemoSimulatorUrls): DemoTenantPlan[] {
  const ox = DEMO_VENDORS.openXchange;
  const hw = DEMO_VENDORS.hostway;
  const ms = DEMO_VENDORS.mailstore;
  const dm = DEMO_VENDORS.datamotion;
  return [
    {
      id: 'demo',
      name: 'Demo (Open-Xchange)',
      provider: 'open-xchange',
      service: 'mail',
      baseUrl: simulators.openXchange,
      credentials: {
        ...ox.brand,
        pluginsUsername: ox.plugins.username,
        pluginsPassword: ox.plugins.password,
      },
      settings: { context: ox.context, contextId: ox.contextId },
    },
    {
      id: 'demo-hostway',
      name: 'Demo (Hostway)',
      provider: 'hostway',
      service: 'mail',
      baseUrl: simulators.hostway,
      credentials: { ...hw.credentials },
      settings: { account: hw.account },
    },
    {
      id: 'demo-archive',
      name: 'Demo (MailStore archive)',
      provider: 'mailstore',
      service: 'archive',
      baseUrl: simulators.mailstore,
      credentials: { ...ms.credentials },
      settings: { instanceId: ms.instanceId },
    },
    {
      id: 'demo-securemail',
      name: 'Demo (DataMotion SecureMail)',
      provider: 'datamotion',
      service: 'secure-mail',
      baseUrl: `${simulators.datamotion}${dm.secureMailPath}`,
      credentials: { ...dm.credentials },
      settings: {
        companyId: dm.companyId,
        userTypeId: dm.userTypeId,
        remoteBaseUrl: `${simulators.datamotion}${dm.remotePath}`,
      },
    },
  ];
}

class SeedError extends Error {}

/** A minimal JSON client for the gateway; every unexpected status is an error carrying the problem's detail. */
class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body: unknown,
    accept: number[],
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    if (!accept.includes(response.status)) {
      const problem = parsed as { code?: string; detail?: string; errors?: unknown[] } | undefined;
      const why = [
        problem?.code,
        problem?.detail,
        problem?.errors?.length ? JSON.stringify(problem.errors) : '',
      ]
        .filter(Boolean)
        .join(': ');
      throw new SeedError(`${method} ${path} answered ${response.status}${why ? ` (${why})` : ''}`);
    }
    return { status: response.status, body: parsed };
  }

  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { body: Page<T> } = await this.call<Page<T>>('GET', `${path}?${query}`, undefined, [200]);
      items.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }
}

/** Polls until `url` answers at all (or, with `okOnly`, answers 2xx); gives up after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, okOnly = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (!okOnly || response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new SeedError(`${url} not ready after ${Math.round(timeoutMs / 1000)} s (${last})`);
}

/**
 * Creates (or brings back to the demo state) one tenant per vendor with its connection, and
 * issues each a tenant-bound admin key. Safe to run any number of times.
 */
export async function seedDemo(target: SeedTarget): Promise<SeededTenant[]> {
  const client = new GatewayClient(target.gatewayUrl, target.adminKey);
  const keys = await client.listAll<ApiKeyView>('/v1/api-keys');
  const seeded: SeededTenant[] = [];
  for (const plan of demoTenantPlans(target.simulators)) {
    await client.call('POST', '/v1/tenants', { id: plan.id, name: plan.name }, [201, 409]);
    const connectionId = await upsertConnection(client, plan);
    const check = await client.call<{ ok: boolean; detail: string }>(
      'POST',
      `/v1/tenants/${plan.id}/connections/${connectionId}/check`,
      undefined,
      [200, 201],
    );
    for (const old of keys.filter(
      (k) => k.tenantId === plan.id && k.name === DEMO_KEY_NAME && !k.revokedAt,
    )) {
      await client.call('DELETE', `/v1/api-keys/${old.id}`, undefined, [204, 404]);
    }
    const created = await client.call<{ key: string }>(
      'POST',
      '/v1/api-keys',
      { name: DEMO_KEY_NAME, tenantId: plan.id, scopes: ['admin'] },
      [201],
    );
    seeded.push({
      id: plan.id,
      provider: plan.provider,
      service: plan.service,
      connectionId,
      key: created.body.key,
      check: { ok: check.body.ok, detail: check.body.detail },
    });
  }
  return seeded;
}

/** The tenant's connection for the plan's service, pointed at the current simulator with the demo credentials. */
async function upsertConnection(client: GatewayClient, plan: DemoTenantPlan): Promise<string> {
  const path = `/v1/tenants/${plan.id}/connections`;
  const desired = {
    baseUrl: plan.baseUrl,
    credentials: plan.credentials,
    settings: plan.settings,
    services: [plan.service],
  };
  const existing = (await client.listAll<ConnectionView>(path)).find((c) =>
    c.services.includes(plan.service),
  );
  if (existing && existing.provider === plan.provider) {
    // Credentials are re-sent on every run: they stay readable even when SECRETS_KEY changed since the last one.
    await client.call('PATCH', `${path}/${existing.id}`, desired, [200]);
    return existing.id;
  }
  if (existing) await client.call('DELETE', `${path}/${existing.id}`, undefined, [204, 404]);
  const created = await client.call<{ id: string }>(
    'POST',
    path,
    { provider: plan.provider, ...desired },
    [201],
  );
  return created.body.id;
}

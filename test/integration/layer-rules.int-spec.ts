import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const CHECK = join(ROOT, 'scripts', 'check-layers.mjs');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs the lint step that checks the layers (scripts/check-layers.mjs) over a project root. */
async function checkLayers(root: string): Promise<{ failed: boolean; violations: Violation[] }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CHECK, root], {
      env: { ...process.env, CHECK_LAYERS_JSON: '1' },
    });
    return { failed: false, violations: JSON.parse(stdout) as Violation[] };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    if (failure.code !== 1 || !failure.stdout) throw error;
    return { failed: true, violations: JSON.parse(failure.stdout) as Violation[] };
  }
}

/** Each probe breaks one layer rule; lint must name that rule for the probe's file. */
const PROBES: Record<string, { rule: string; source: string }> = {
  'src/adapters/hostway/probe-reaches-up.ts': {
    rule: 'adapters-import-only-domain',
    source: `import { JobsService } from '../../modules/jobs/jobs.service';
import { JobCatalogue } from '../../jobs/job-catalogue';
export const probe = [JobsService, JobCatalogue];
`,
  },
  'src/domain/ports/probe-reaches-out.ts': {
    rule: 'domain-imports-only-domain',
    source: `import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
export const probe = [Injectable, AppConfig];
`,
  },
  'src/common/http/probe-reaches-feature.ts': {
    rule: 'platform-imports-no-feature',
    source: `import { UsersService } from '../../modules/users/users.service';
export const probe = UsersService;
`,
  },
  'src/database/probe-reaches-feature.ts': {
    rule: 'platform-imports-no-feature',
    source: `import { AliasesModule } from '../modules/aliases/aliases.module';
export const probe = AliasesModule;
`,
  },
  // Features may use each other, so only the slice check sees this one: aliases → users → aliases.
  'src/modules/users/probe-closes-a-cycle.ts': {
    rule: 'no-slice-cycles',
    source: `import { AliasesModule } from '../aliases/aliases.module';
export const probe = AliasesModule;
`,
  },
};

describe('layer rules in npm run lint', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'mailroom-layers-'));
    cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
    for (const file of ['tsconfig.json', '.dependency-cruiser.cjs'])
      cpSync(join(ROOT, file), join(copy, file));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const [path, probe] of Object.entries(PROBES)) writeFileSync(join(copy, path), probe.source);
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('hold for the code as it is', async () => {
    expect(await checkLayers(ROOT)).toEqual({ failed: false, violations: [] });
  });

  it('fail on each probe, naming the rule it breaks', async () => {
    const { failed, violations } = await checkLayers(copy);
    expect(failed).toBe(true);
    for (const [path, probe] of Object.entries(PROBES)) {
      const caught = violations.filter(
        (v) => v.rule === probe.rule && (v.from === path || v.to.includes(path)),
      );
      expect({ path, rules: caught.map((v) => v.rule) }).toEqual({
        path,
        rules: expect.arrayContaining([probe.rule]),
      });
    }
    // Both halves of the adapter probe are refused: a module and a job.
    expect(
      violations
        .filter((v) => v.rule === 'adapters-import-only-domain')
        .map((v) => v.to)
        .sort(),
    ).toEqual(['src/jobs/job-catalogue.ts', 'src/modules/jobs/jobs.service.ts']);
    // Nothing but the probes is reported.
    expect(violations.every((v) => Object.keys(PROBES).some((p) => v.from === p || v.to.includes(p)))).toBe(
      true,
    );
  });
});

/** Each probe reaches TypeORM's data access outside a repository; eslint must refuse it. */
const DATA_ACCESS_PROBES: Record<string, string> = {
  'src/modules/users/probe-injects-data-source.ts': `import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
export class Probe {
  constructor(@InjectDataSource() readonly db: DataSource) {}
}
`,
  'src/jobs/probe-injects-repository.ts': `import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
export type Probe = [typeof InjectRepository, Repository<object>, EntityManager];
`,
  'src/common/probe-namespace.ts': `import * as typeorm from 'typeorm';
export const probe = typeorm;
`,
};

describe('data-access rule in npm run lint (eslint)', () => {
  /** Lines eslint (as npm run lint runs it) refuses with the data-access rule, were `source` at `path`. */
  const errors = async (path: string, source: string): Promise<number[]> => {
    const run = spawnSync(
      process.execPath,
      [ESLINT, '--stdin', '--stdin-filename', path, '--format', 'json'],
      { cwd: ROOT, input: source, encoding: 'utf8' },
    );
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; line: number }[] }[];
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
  };

  it('refuses DataSource, Repository, EntityManager and their injection outside repositories', async () => {
    expect(
      await errors(
        'src/modules/users/probe-injects-data-source.ts',
        DATA_ACCESS_PROBES['src/modules/users/probe-injects-data-source.ts'],
      ),
    ).toEqual([1, 2]);
    expect(
      await errors(
        'src/jobs/probe-injects-repository.ts',
        DATA_ACCESS_PROBES['src/jobs/probe-injects-repository.ts'],
      ),
    ).toEqual([1, 2, 2]);
    expect(
      await errors('src/common/probe-namespace.ts', DATA_ACCESS_PROBES['src/common/probe-namespace.ts']),
    ).toEqual([1]);
  });

  it('allows them in a *.repository.ts and in src/database, and entity decorators anywhere', async () => {
    const source = DATA_ACCESS_PROBES['src/modules/users/probe-injects-data-source.ts'];
    expect(await errors('src/modules/users/probe.repository.ts', source)).toEqual([]);
    expect(await errors('src/database/probe.ts', source)).toEqual([]);
    const entity = `import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class ProbeEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
}
`;
    expect(await errors('src/modules/users/probe.entity.ts', entity)).toEqual([]);
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { RequestValidationPipe } from './request-validation.pipe';

interface RouteArg {
  index: number;
  pipes: unknown[];
}

const MODULES = join(__dirname, '..', '..', 'modules');

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? controllerFiles(join(dir, entry.name))
      : entry.name.endsWith('.controller.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every body and query argument of every route, as `Controller.method#index` with its pipes. */
async function bodyAndQueryArgs(): Promise<Array<{ where: string; pipes: unknown[] }>> {
  const modules = await Promise.all(
    controllerFiles(MODULES).map((file) => import(file) as Promise<Record<string, unknown>>),
  );
  return modules.flatMap((exports) =>
    Object.values(exports)
      .filter((value): value is new () => object => typeof value === 'function')
      .flatMap((controller) =>
        Object.getOwnPropertyNames(controller.prototype).flatMap((method) => {
          const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
            string,
            RouteArg
          >;
          return Object.entries(args)
            .filter(([key]) =>
              [RouteParamtypes.BODY, RouteParamtypes.QUERY].includes(Number(key.split(':')[0])),
            )
            .map(([, arg]) => ({ where: `${controller.name}.${method}#${arg.index}`, pipes: arg.pipes }));
        }),
      ),
  );
}

describe('validated params', () => {
  it('every body and query of every route is validated against its DTO', async () => {
    const args = await bodyAndQueryArgs();

    expect(args.length).toBeGreaterThan(20);
    const unvalidated = args
      .filter(({ pipes }) => !pipes.some((pipe) => pipe instanceof RequestValidationPipe))
      .map(({ where }) => where);
    expect(unvalidated).toEqual([]);
  });
});

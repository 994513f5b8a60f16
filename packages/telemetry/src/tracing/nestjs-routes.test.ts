import 'reflect-metadata';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouteHarness } from '../../test/support/route-harness.js';
import { ExpressRouteInstrumentation } from './express-route-instrumentation.js';
import { FastifyRouteInstrumentation } from './fastify-route-instrumentation.js';

// NestJS serves through Express or Fastify: its routes are reported by those instrumentations
// (the nestjs-core one is off by default). This proves it for both adapters.
const require = createRequire(import.meta.url);
type NestCommon = typeof import('@nestjs/common');
type NestCore = typeof import('@nestjs/core');
type INestApplication = import('@nestjs/common').INestApplication;

/** A controller and a module, decorated by hand (the test is compiled without decorator metadata). */
function appModule(): unknown {
  const { Controller, Get, Module, Param, HttpException } = require('@nestjs/common') as NestCommon;
  class UsersController {
    get(id: string): object {
      return { id };
    }
    boom(): never {
      throw new Error('handler failed');
    }
    teapot(): never {
      throw new HttpException('short and stout', 418);
    }
  }
  const proto = UsersController.prototype;
  const decorate = (name: keyof UsersController, ...decorators: MethodDecorator[]): void => {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (const d of decorators) d(proto, name, descriptor);
  };
  decorate('get', Get(':id'));
  Param('id')(proto, 'get', 0);
  decorate('boom', Get('actions/boom'));
  decorate('teapot', Get('actions/teapot'));
  Controller('users')(UsersController);
  class AppModule {}
  Module({ controllers: [UsersController] })(AppModule);
  return AppModule;
}

let harness: ReturnType<typeof startRouteHarness>;
let fastifyInstrumentation: FastifyRouteInstrumentation;
beforeAll(() => {
  harness = startRouteHarness();
  fastifyInstrumentation = new FastifyRouteInstrumentation();
  // The patch RITM/IITM applies when Nest's Express adapter loads express.
  new ExpressRouteInstrumentation().getModuleDefinitions()[0]!.patch!(
    require(require.resolve('express', { paths: [require.resolve('@nestjs/platform-express')] })),
  );
});
afterAll(() => {
  fastifyInstrumentation.disable();
  harness.close();
});

describe.each([
  ['Express adapter', () => new (require('@nestjs/platform-express') as typeof import('@nestjs/platform-express')).ExpressAdapter()],
  ['Fastify adapter', () => new (require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify')).FastifyAdapter()],
])('NestJS 12 with the %s', (_label, adapter) => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const { NestFactory } = require('@nestjs/core') as NestCore;
    app = await NestFactory.create(appModule() as never, adapter() as never, { logger: false });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  it('reports global prefix, controller and method paths joined as the route template', async () => {
    expect(await harness.request(base, '/api/users/42')).toEqual({
      name: 'GET /api/users/:id',
      route: '/api/users/:id',
      status: 200,
      error: false,
      metricRoute: '/api/users/:id',
    });
  });

  it('records 404s as unmatched; an exception is a 5xx error, an HttpException keeps its status', async () => {
    expect(await harness.request(base, '/api/nowhere')).toMatchObject({ name: 'GET', status: 404, error: false, metricRoute: 'unmatched' });
    expect(await harness.request(base, '/api/users/actions/boom')).toEqual({
      name: 'GET /api/users/actions/boom',
      route: '/api/users/actions/boom',
      status: 500,
      error: true,
      metricRoute: '/api/users/actions/boom',
    });
    expect(await harness.request(base, '/api/users/actions/teapot')).toMatchObject({ status: 418, error: false, metricRoute: '/api/users/actions/teapot' });
  });
});

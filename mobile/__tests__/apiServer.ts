// The fake API of the screen tests: an msw server at API that fails on any
// request no test handles, and the requests it saw (cleared after each
// test). Each test starts signed out (or with `token`) and in English.
import {setupServer} from 'msw/node';

import i18n from '../src/i18n';
import {resetSessionForTests} from '../src/session';

export const API = 'http://api.test/api/v1';

export type SeenRequest = {method: string; path: string; query: string; body?: unknown; headers: Headers};

export function setUpApiServer({token}: {token?: string} = {}) {
  const server = setupServer();
  const seen: SeenRequest[] = [];
  beforeAll(() => server.listen({onUnhandledRequest: 'error'}));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    resetSessionForTests(token ? {token} : {});
    await i18n.changeLanguage('en');
    server.events.removeAllListeners();
    server.events.on('request:start', async ({request}) => {
      const body = request.method === 'GET' ? undefined : await request.clone().json().catch(() => undefined);
      const url = new URL(request.url);
      seen.push({method: request.method, path: url.pathname, query: url.search, body, headers: request.headers});
    });
  });
  return {server, seen};
}

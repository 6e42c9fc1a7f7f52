// The typed client of /api/v1: openapi-fetch over the types generated from
// the server's OpenAPI document (src/api/schema.d.ts, `npm run generate:client`).
import createClient, {Middleware} from 'openapi-fetch';

import {apiUrl} from '../config';
import {currentLanguage} from '../i18n';
import {getSession, setCartToken} from '../session';
import type {components, paths} from './schema';

export type Schemas = components['schemas'];
export type Money = Schemas['Money'];

export class ApiError extends Error {
  status: number;
  code: string;
  problem?: Schemas['ProblemModel'];

  constructor(status: number, code: string, message: string, problem?: Schemas['ProblemModel']) {
    super(message);
    this.status = status;
    this.code = code;
    this.problem = problem;
  }
}

/** The network is down (no answer at all): the UI says "offline". */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

const sessionHeaders: Middleware = {
  async onRequest({request}) {
    const {token, cartToken} = getSession();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    if (cartToken) request.headers.set('X-Cart-Token', cartToken);
    request.headers.set('Accept-Language', currentLanguage());
    return request;
  },
  async onResponse({response}) {
    const cartToken = response.headers.get('X-Cart-Token');
    if (cartToken) await setCartToken(cartToken);
    return response;
  },
};

let client: ReturnType<typeof createClient<paths>> | null = null;
let clientBase: string | null = null;

export function api() {
  const base = apiUrl();
  if (!client || clientBase !== base) {
    client = createClient<paths>({
      baseUrl: base,
      // resolved at call time so that tests (msw) can replace fetch
      fetch: (request: Request) => globalThis.fetch(request),
    });
    client.use(sessionHeaders);
    clientBase = base;
  }
  return client;
}

type Result<T> = {data?: T; error?: unknown; response: Response};

/** The data of an answer, or an ApiError carrying the problem+json code. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    throw new NetworkError(error);
  }
  const {data, error, response} = result;
  if (!response.ok) {
    const problem = (error ?? {}) as Partial<Schemas['ProblemModel']>;
    throw new ApiError(response.status, problem.code ?? 'http_' + response.status,
      problem.detail ?? problem.title ?? response.statusText, problem as Schemas['ProblemModel']);
  }
  return data as T;
}

export function imageUrl(url?: string | null): string | undefined {
  if (!url) return undefined;
  return /^https?:/.test(url) ? url : apiUrl() + url;
}

export function formatMoney(money: Money | undefined | null, language: string): string {
  if (!money) return '';
  const locale = {fr: 'fr-BE', nl: 'nl-BE', en: 'en-BE'}[language] ?? 'en-BE';
  const amount = Number(money.amount);
  try {
    return new Intl.NumberFormat(locale, {style: 'currency', currency: money.currency}).format(amount);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

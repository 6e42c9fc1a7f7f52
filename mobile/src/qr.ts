// The shop code in what the in-app scanner read: the bare code printed under
// the QR, the printed QR's URL (<site>/app?shop=CODE, also with a language
// prefix such as /fr/app) or the app's own deep link
// (urbantherapy://onboarding?code=CODE). Anything else is not one of our
// codes (a menu, a Wi-Fi login, another shop's link): null, and nothing is
// sent to the API.
//
// The site's host is not checked: it differs between staging and
// production, and the API looks the code up anyway (an unknown code is
// answered 404). Parsed by hand rather than with URL: React Native's URL
// polyfill does not implement searchParams on every engine.

// Shop codes are short (the API refuses more than 16 characters).
const SHOP_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/;
const APP_SCHEME = 'urbantherapy';
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i;

function queryParam(query: string, name: string): string | null {
  for (const pair of query.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return null; // malformed %-escape
    }
  }
  return null;
}

function valid(code: string | null): string | null {
  const value = (code ?? '').trim();
  return SHOP_CODE.test(value) ? value : null;
}

export function shopCodeFromQr(scanned: string): string | null {
  const value = (scanned ?? '').trim();
  const parts = URL_PARTS.exec(value);
  if (!parts) return valid(value);
  const [, scheme, host, path, query = ''] = parts;
  switch (scheme.toLowerCase()) {
    case 'http':
    case 'https':
      return /^(\/[a-z]{2})?\/app\/?$/i.test(path) ? valid(queryParam(query, 'shop')) : null;
    case APP_SCHEME:
      // urbantherapy://onboarding?code=X and urbantherapy:///onboarding?code=X
      return `${host}${path}`.replace(/^\/+|\/+$/g, '') === 'onboarding'
        ? valid(queryParam(query, 'code') ?? queryParam(query, 'shop'))
        : null;
    default:
      return null;
  }
}

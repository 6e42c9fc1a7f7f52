import {shopCodeFromQr} from '../src/qr';

test('a bare shop code, trimmed, as printed under the QR code', () => {
  expect(shopCodeFromQr('GHENT')).toBe('GHENT');
  expect(shopCodeFromQr('  gnt\n')).toBe('gnt');
  expect(shopCodeFromQr('BXL-2')).toBe('BXL-2');
});

test("the printed QR code's URL, with or without a language prefix", () => {
  expect(shopCodeFromQr('https://urban-therapy.be/app?shop=GNT')).toBe('GNT');
  expect(shopCodeFromQr('https://staging.urban-therapy.be/fr/app/?utm_source=qr&shop=ANT#top')).toBe('ANT');
  expect(shopCodeFromQr('http://127.0.0.1:8000/app?shop=BXL')).toBe('BXL');
  expect(shopCodeFromQr('HTTPS://URBAN-THERAPY.BE/APP?shop=NAM')).toBe('NAM');
  expect(shopCodeFromQr('https://urban-therapy.be/app?shop=%20LGG%20')).toBe('LGG');
});

test("the app's deep link", () => {
  expect(shopCodeFromQr('urbantherapy://onboarding?code=GHENT')).toBe('GHENT');
  expect(shopCodeFromQr('urbantherapy:///onboarding?code=GHENT')).toBe('GHENT');
  expect(shopCodeFromQr('urbantherapy://onboarding?shop=GHENT')).toBe('GHENT');
});

test('anything else is not one of our codes', () => {
  for (const value of [
    '',
    '   ',
    'https://example.com/menu',
    'https://urban-therapy.be/app', // no shop
    'https://urban-therapy.be/app?shop=', // empty shop
    'https://urban-therapy.be/products?shop=GNT', // not the app page
    'https://urban-therapy.be/app?shop=%E0%A4%A', // malformed escape
    'https://urban-therapy.be/app?shop=<script>',
    'urbantherapy://cart?code=GNT',
    'otherapp://onboarding?code=GNT',
    'WIFI:S:Shop guests;T:WPA;P:secret;;',
    'mailto:hello@example.com',
    'urban-therapy.be/app?shop=GNT', // no scheme: not a bare code either
    'A VERY LONG TEXT',
    'ABCDEFGHIJKLMNOPQ', // 17 characters: longer than any shop code
  ]) {
    expect([value, shopCodeFromQr(value)]).toEqual([value, null]);
  }
});

import en from '../src/i18n/en';
import fr from '../src/i18n/fr';
import nl from '../src/i18n/nl';
import {colors, contrast} from '../src/theme';

function keys(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]).sort();
}

function placeholders(value: object): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const walk = (v: object, prefix: string) => Object.entries(v).forEach(([k, x]) => {
    if (typeof x === 'object') walk(x, `${prefix}${k}.`);
    else result[`${prefix}${k}`] = (String(x).match(/{{\w+}}/g) ?? []).sort();
  });
  walk(value, '');
  return result;
}

test('French and Dutch have every English text with the same placeholders', () => {
  expect(keys(fr)).toEqual(keys(en));
  expect(keys(nl)).toEqual(keys(en));
  expect(placeholders(fr)).toEqual(placeholders(en));
  expect(placeholders(nl)).toEqual(placeholders(en));
});

test('text colours meet WCAG AA contrast', () => {
  expect(contrast(colors.text, colors.background)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.text, colors.surface)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.muted, colors.background)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.onPrimary, colors.primary)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.primary, colors.surface)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(colors.danger, colors.surface)).toBeGreaterThanOrEqual(4.5);
});

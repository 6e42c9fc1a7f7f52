// Boho, warm, calm: sand, clay, sage. Text colours keep WCAG AA contrast on
// the backgrounds they are used on (checked in __tests__/theme.test.ts).
export const colors = {
  background: '#F6EFE6', // sand
  surface: '#FFFaF4',
  text: '#3A2E28', // espresso
  muted: '#6B5B50',
  primary: '#9A4A2A', // terracotta (white text on it)
  onPrimary: '#FFFFFF',
  accent: '#5E6B52', // sage
  border: '#D9C8B6',
  danger: '#A32020',
  success: '#3D6B35',
};

export const spacing = {xs: 4, s: 8, m: 16, l: 24, xl: 32};
export const radius = {s: 8, m: 16, l: 28};
export const fonts = {
  title: {fontSize: 26, fontWeight: '700' as const, color: colors.text, letterSpacing: 0.3},
  heading: {fontSize: 19, fontWeight: '600' as const, color: colors.text},
  body: {fontSize: 16, color: colors.text, lineHeight: 22},
  small: {fontSize: 14, color: colors.muted},
};

/** WCAG relative-luminance contrast ratio of two #RRGGBB colours. */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map(
      (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

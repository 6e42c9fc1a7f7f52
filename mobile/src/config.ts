// Runtime settings. The web export served by trytond at /webapp gets them from
// window.URBAN_CONFIG (injected by the server: publishable key, Stripe.js
// URL); native builds from EXPO_PUBLIC_* variables at build time.
import {Platform} from 'react-native';

type RuntimeConfig = {
  apiUrl?: string;
  stripePublishableKey?: string;
  stripeJsUrl?: string;
};

function injected(): RuntimeConfig {
  return ((globalThis as {URBAN_CONFIG?: RuntimeConfig}).URBAN_CONFIG) ?? {};
}

export function apiUrl(): string {
  const value = injected().apiUrl ?? process.env.EXPO_PUBLIC_API_URL;
  if (value) return value.replace(/\/$/, '');
  if (Platform.OS === 'web' && typeof window !== 'undefined' && window.location) {
    return window.location.origin;
  }
  return 'http://localhost:8000';
}

export function stripePublishableKey(): string | undefined {
  return injected().stripePublishableKey ?? process.env.EXPO_PUBLIC_STRIPE_PUBLISHABLE_KEY;
}

export function stripeJsUrl(): string {
  return injected().stripeJsUrl ?? process.env.EXPO_PUBLIC_STRIPE_JS_URL ?? 'https://js.stripe.com/v3/';
}

// The session: bearer token and guest cart token (secure storage), the
// chosen language. A tiny external store read with useSyncExternalStore.
import {useSyncExternalStore} from 'react';

import i18n, {Language, LANGUAGES} from './i18n';
import * as secure from './storage/secure';

const TOKEN = 'urban.session';
const CART = 'urban.cart';
const LANG = 'urban.language';
const WELCOME = 'urban.welcome';

export type SessionState = {
  ready: boolean;
  token: string | null;
  cartToken: string | null;
  language: Language | null;
  /** First-order code from the shop's QR code, applied to the next cart. */
  welcomeCode: string | null;
};

let state: SessionState = {ready: false, token: null, cartToken: null, language: null, welcomeCode: null};
const listeners = new Set<() => void>();

function set(patch: Partial<SessionState>) {
  state = {...state, ...patch};
  listeners.forEach((listener) => listener());
}

export function getSession(): SessionState {
  return state;
}

export function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

export async function restoreSession(): Promise<void> {
  const [token, cartToken, language, welcomeCode] = await Promise.all([
    secure.getItem(TOKEN), secure.getItem(CART), secure.getItem(LANG), secure.getItem(WELCOME)]);
  const lang = (LANGUAGES as readonly string[]).includes(language ?? '') ? (language as Language) : null;
  if (lang) await i18n.changeLanguage(lang);
  set({ready: true, token, cartToken, language: lang, welcomeCode});
}

export async function setToken(token: string | null) {
  set({token});
  if (token) await secure.setItem(TOKEN, token);
  else await secure.deleteItem(TOKEN);
}

export async function setCartToken(cartToken: string | null) {
  if (cartToken === state.cartToken) return;
  set({cartToken});
  if (cartToken) await secure.setItem(CART, cartToken);
  else await secure.deleteItem(CART);
}

export async function setLanguage(language: Language) {
  await i18n.changeLanguage(language);
  set({language});
  await secure.setItem(LANG, language);
}

export async function setWelcomeCode(welcomeCode: string | null) {
  set({welcomeCode});
  if (welcomeCode) await secure.setItem(WELCOME, welcomeCode);
  else await secure.deleteItem(WELCOME);
}

export function resetSessionForTests(patch: Partial<SessionState> = {}) {
  state = {ready: true, token: null, cartToken: null, language: null, welcomeCode: null, ...patch};
  listeners.forEach((listener) => listener());
}

// i18next with the device language (expo-localization), FR/NL/EN,
// switchable at runtime (the choice is kept in storage).
import i18n from 'i18next';
import {initReactI18next} from 'react-i18next';
import {getLocales} from 'expo-localization';

import en from './en';
import fr from './fr';
import nl from './nl';

export const LANGUAGES = ['fr', 'nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function deviceLanguage(): Language {
  for (const locale of getLocales()) {
    const code = (locale.languageCode || '').toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
  }
  return 'en';
}

if (!i18n.isInitialized) {
  i18n.use(initReactI18next).init({
    resources: {en: {translation: en}, fr: {translation: fr}, nl: {translation: nl}},
    lng: deviceLanguage(),
    fallbackLng: 'en',
    interpolation: {escapeValue: false},
    returnNull: false,
  });
}

export function currentLanguage(): Language {
  const lng = (i18n.language || 'en').slice(0, 2);
  return ((LANGUAGES as readonly string[]).includes(lng) ? lng : 'en') as Language;
}

export default i18n;

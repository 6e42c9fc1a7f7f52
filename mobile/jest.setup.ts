// Jest set-up: the API origin for msw, native modules without a JS side.
process.env.EXPO_PUBLIC_API_URL = 'http://api.test';

jest.mock('@stripe/stripe-react-native', () => require('@stripe/stripe-react-native/jest/mock.js'));
jest.mock('expo-secure-store', () => {
  const store = new Map<string, string>();
  return {
    getItemAsync: async (key: string) => store.get(key) ?? null,
    setItemAsync: async (key: string, value: string) => void store.set(key, value),
    deleteItemAsync: async (key: string) => void store.delete(key),
  };
});
jest.mock('expo-localization', () => ({getLocales: () => [{languageCode: 'en', languageTag: 'en-BE'}]}));

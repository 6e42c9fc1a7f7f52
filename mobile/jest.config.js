module.exports = {
  preset: 'jest-expo',
  testTimeout: 30000,
  transform: {'^.+\\.mjs$': 'babel-jest'},
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json', 'mjs'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts?(x)'],
  transformIgnorePatterns: [
    'node_modules/(?!((jest-)?react-native|@react-native(-community)?)|expo(nent)?|@expo(nent)?/.*|@expo-google-fonts/.*|react-navigation|@react-navigation/.*|react-native-svg|@stripe/.*|msw|@mswjs/.*|@bundled-es-modules/.*|until-async|rettime|outvariant|strict-event-emitter|headers-polyfill|@open-draft/.*|openapi-fetch|standard-navigation)',
  ],
};

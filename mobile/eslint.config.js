// https://docs.expo.dev/guides/using-eslint/ (the config `npx expo lint`
// writes), for the whole app: app/, src/, __tests__/ and the scripts
const { defineConfig } = require('eslint/config');
const expoConfig = require('eslint-config-expo/flat');

module.exports = defineConfig([
  expoConfig,
  {
    ignores: ['dist/*'],
  },
  {
    // Node.js scripts (CommonJS)
    files: ['scripts/**/*.js'],
    languageOptions: {
      globals: { __dirname: 'readonly', __filename: 'readonly' },
    },
  },
]);

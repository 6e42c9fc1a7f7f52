import React, {useEffect, useState} from 'react';
import {Pressable, StyleSheet, Text, View} from 'react-native';
import {QueryClientProvider} from '@tanstack/react-query';
import {Stack, usePathname, useRouter} from 'expo-router';
import {SafeAreaProvider} from 'react-native-safe-area-context';
import {useTranslation} from 'react-i18next';

import '../src/i18n';
import {useNotificationDeepLinks} from '../src/push';
import {makeQueryClient, persistCatalogue} from '../src/queryClient';
import {restoreSession, useSession} from '../src/session';
import {colors, spacing} from '../src/theme';

const TABS = [
  {path: '/', key: 'nav.home'},
  {path: '/search', key: 'nav.search'},
  {path: '/cart', key: 'nav.cart'},
  {path: '/orders', key: 'nav.orders'},
  {path: '/account', key: 'nav.account'},
] as const;

export function NavBar() {
  const {t} = useTranslation();
  const router = useRouter();
  const pathname = usePathname();
  return (
    <View role="navigation" style={styles.nav}>
      {TABS.map((tab) => {
        const current = tab.path === '/' ? pathname === '/' : pathname.startsWith(tab.path);
        return (
          <Pressable key={tab.path} accessibilityRole="link" accessibilityState={{selected: current}}
            accessibilityLabel={t(tab.key)} onPress={() => router.navigate(tab.path)} style={styles.tab}
            testID={`nav-${tab.path.slice(1) || 'home'}`}>
            <Text style={[styles.tabText, current && styles.tabCurrent]}>{t(tab.key)}</Text>
          </Pressable>
        );
      })}
    </View>
  );
}

export default function RootLayout() {
  const [client] = useState(() => makeQueryClient());
  const {ready} = useSession();
  const {t, i18n} = useTranslation();
  useEffect(() => persistCatalogue(client), [client]);
  useEffect(() => {
    // screen readers of the web shop read the page in the app's language
    if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;
  }, [i18n.language]);
  useEffect(() => {
    restoreSession();
  }, []);
  useNotificationDeepLinks();
  return (
    <SafeAreaProvider>
      <QueryClientProvider client={client}>
        <View style={{flex: 1, backgroundColor: colors.background}}>
          {ready ? (
            <Stack screenOptions={{
              headerStyle: {backgroundColor: colors.background}, headerTintColor: colors.text,
              headerTitleStyle: {fontWeight: '600'}, contentStyle: {backgroundColor: colors.background},
              title: t('appName'),
            }} />
          ) : null}
          <NavBar />
        </View>
      </QueryClientProvider>
    </SafeAreaProvider>
  );
}

const styles = StyleSheet.create({
  nav: {flexDirection: 'row', borderTopWidth: 1, borderTopColor: colors.border, backgroundColor: colors.surface},
  tab: {flex: 1, minHeight: 52, alignItems: 'center', justifyContent: 'center', paddingVertical: spacing.s},
  tabText: {fontSize: 14, color: colors.muted, textAlign: 'center'},
  tabCurrent: {color: colors.primary, fontWeight: '700'},
});

import React from 'react';
import {Pressable, StyleSheet, Text, View} from 'react-native';
import {Link, useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {useForYou, useProducts, useUniverses} from '../src/api/queries';
import {ProductGrid} from '../src/components/ProductCard';
import {Body, Button, Heading, QueryView, Screen, Title} from '../src/components/ui';
import {colors, fonts, radius, spacing} from '../src/theme';

export default function Home() {
  const {t} = useTranslation();
  const router = useRouter();
  const universes = useUniverses();
  const arrivals = useProducts({new: true, sort: 'new', limit: 8});
  const forYou = useForYou();
  return (
    <Screen testID="home">
      <View style={styles.hero}>
        <Title>{t('appName')}</Title>
        <Body muted>{t('tagline')}</Body>
        <Button variant="link" title={t('home.welcomeCode')} onPress={() => router.push('/onboarding')} />
      </View>
      {forYou.isSuccess && forYou.data.items.length > 0 ? (
        <>
          <Heading>{t('home.forYou')}</Heading>
          <ProductGrid items={forYou.data.items} />
        </>
      ) : null}
      <Heading>{t('home.newArrivals')}</Heading>
      <QueryView query={arrivals}>{(page) => <ProductGrid items={page.items} />}</QueryView>
      <Heading>{t('home.universes')}</Heading>
      <QueryView query={universes}>
        {(list) => (
          <View style={styles.universes}>
            {list.items.filter((u) => u.slug).map((u) => (
              <Link key={u.id} href={`/universe/${u.slug}`} asChild>
                <Pressable accessibilityRole="link" style={styles.universe} testID={`universe-${u.id}`}>
                  <Text style={fonts.heading}>{u.name}</Text>
                  <Text style={fonts.small}>{t('home.products', {count: u.product_count})}</Text>
                </Pressable>
              </Link>
            ))}
          </View>
        )}
      </QueryView>
    </Screen>
  );
}

const styles = StyleSheet.create({
  hero: {backgroundColor: '#EBDDCB', borderRadius: radius.l, padding: spacing.l, gap: spacing.s},
  universes: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.m},
  universe: {flexBasis: 150, flexGrow: 1, minHeight: 80, padding: spacing.m, borderRadius: radius.m,
    backgroundColor: colors.surface, borderWidth: 1, borderColor: colors.border, gap: 4},
});

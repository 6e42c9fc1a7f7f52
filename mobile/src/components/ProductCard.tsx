import React from 'react';
import {Image, Pressable, StyleSheet, Text, View} from 'react-native';
import {useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {formatMoney, imageUrl, Schemas} from '../api/client';
import {colors, fonts, radius, spacing} from '../theme';

export function ProductCard({product}: {product: Schemas['ProductCard']}) {
  const router = useRouter();
  const {t, i18n} = useTranslation();
  const price = formatMoney(product.price, i18n.language);
  const shown = product.price_varies ? t('catalogue.from', {price}) : price;
  return (
    <Pressable accessibilityRole="link" accessibilityLabel={`${product.name}, ${shown}`}
      testID={`product-${product.id}`}
      onPress={() => router.push(`/product/${product.id}`)} style={styles.card}>
      {product.image ? (
        <Image source={{uri: imageUrl(product.image.url)}} style={styles.image} accessibilityIgnoresInvertColors
          alt="" />
      ) : <View style={[styles.image, styles.placeholder]} />}
      <View style={styles.text}>
        {product.new ? <Text style={styles.badge}>{t('catalogue.new')}</Text> : null}
        <Text style={fonts.body} numberOfLines={2}>{product.name}</Text>
        {product.brand ? <Text style={fonts.small}>{product.brand.name}</Text> : null}
        <Text style={[fonts.body, {fontWeight: '700'}]}>{shown}</Text>
        {!product.in_stock ? <Text style={fonts.small}>{t('catalogue.soldOut')}</Text> : null}
      </View>
    </Pressable>
  );
}

export function ProductGrid({items}: {items: Schemas['ProductCard'][]}) {
  return (
    <View style={styles.grid}>
      {items.map((p) => <ProductCard key={p.id} product={p} />)}
    </View>
  );
}

const styles = StyleSheet.create({
  grid: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.m},
  card: {flexBasis: 160, flexGrow: 1, maxWidth: 240, backgroundColor: colors.surface, borderRadius: radius.m, overflow: 'hidden',
    borderWidth: 1, borderColor: colors.border},
  image: {width: '100%', aspectRatio: 1, backgroundColor: '#EADBC8'},
  placeholder: {},
  text: {padding: spacing.s, gap: 2},
  badge: {alignSelf: 'flex-start', backgroundColor: colors.accent, color: '#FFFFFF', paddingHorizontal: 8, borderRadius: 10,
    fontSize: 13, overflow: 'hidden'},
});

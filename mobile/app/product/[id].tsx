import React, {useState} from 'react';
import {Image, ScrollView, StyleSheet, Text, View} from 'react-native';
import {Stack, useLocalSearchParams, useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {formatMoney, imageUrl, Schemas} from '../../src/api/client';
import {useAddToCart, useProduct, useRecommendations} from '../../src/api/queries';
import {ProductGrid} from '../../src/components/ProductCard';
import {Body, Button, Choice, errorMessage, Heading, Notice, QueryView, Screen, Title} from '../../src/components/ui';
import {colors, fonts, radius, spacing} from '../../src/theme';

/** "Ghent (3) · Antwerp (1)": the shops that have the variant in stock. */
export function availabilityText(variant: Schemas['Variant']): string {
  return variant.shops.filter((s) => s.in_stock && s.quantity > 0)
    .map((s) => `${s.name} (${Math.floor(s.quantity)})`).join(' · ');
}

function ProductView({product, initialVariant}: {product: Schemas['ProductDetail']; initialVariant?: number}) {
  const {t, i18n} = useTranslation();
  const router = useRouter();
  const [variantId, setVariantId] = useState(
    product.variants.find((v) => v.id === initialVariant)?.id ?? product.variants[0]?.id);
  const variant = product.variants.find((v) => v.id === variantId) ?? product.variants[0];
  const add = useAddToCart();
  const shops = variant ? availabilityText(variant) : '';
  return (
    <>
      <Stack.Screen options={{title: product.name}} />
      <ScrollView horizontal accessibilityRole="list" contentContainerStyle={styles.gallery}>
        {product.images.map((image, index) => (
          <Image key={index} source={{uri: imageUrl(image.card?.url ?? image.zoom?.url)}}
            style={styles.image} accessibilityLabel={image.alt ?? t('product.image', {index: index + 1, name: product.name})}
            alt={image.alt ?? t('product.image', {index: index + 1, name: product.name})} />
        ))}
      </ScrollView>
      <Title>{product.name}</Title>
      {product.brand ? <Body muted>{product.brand.name}</Body> : null}
      <Text style={[fonts.title, {color: colors.primary}]} testID="price">
        {formatMoney(variant?.price ?? product.price, i18n.language)}
      </Text>
      {product.variants.length > 1 ? (
        <>
          <Heading>{t('product.variants')}</Heading>
          <View role="radiogroup" style={styles.variants}>
            {product.variants.map((v) => (
              <Choice key={v.id} label={v.label} selected={v.id === variant?.id} onPress={() => setVariantId(v.id)}
                detail={formatMoney(v.price, i18n.language)} />
            ))}
          </View>
        </>
      ) : null}
      {variant ? (
        <View style={{gap: spacing.xs}}>
          <Body>{variant.in_stock ? t('product.online', {count: Math.floor(variant.online_quantity)}) : t('catalogue.soldOut')}</Body>
          {shops ? <Body testID="availability">{t('catalogue.availableIn', {shops})}</Body> : null}
        </View>
      ) : null}
      <Button title={t('product.addToCart')} testID="add-to-cart" busy={add.isPending}
        disabled={!variant || !variant.in_stock}
        onPress={() => variant && add.mutate({product_id: variant.id, quantity: 1})} />
      {add.isSuccess ? (
        <Notice kind="success">{t('product.added')}</Notice>
      ) : null}
      {add.isSuccess ? <Button variant="secondary" title={t('cart.title')} onPress={() => router.push('/cart')} testID="go-to-cart" /> : null}
      {add.isError ? <Notice kind="error">{errorMessage(add.error, t)}</Notice> : null}
      {product.description ? <Body>{product.description}</Body> : null}
    </>
  );
}

export default function ProductScreen() {
  // ?variant=ID preselects a variant (links from a cart line or a message)
  const {id, variant} = useLocalSearchParams<{id: string; variant?: string}>();
  const product = useProduct(Number(id));
  const related = useRecommendations(Number(id));
  const {t} = useTranslation();
  return (
    <Screen testID="product">
      <QueryView query={product}>{(p) => <ProductView product={p} initialVariant={Number(variant)} />}</QueryView>
      {related.isSuccess && related.data.items.length > 0 ? (
        <View testID="also-like">
          <Heading>{t('product.alsoLike')}</Heading>
          <ProductGrid items={related.data.items} />
        </View>
      ) : null}
    </Screen>
  );
}

const styles = StyleSheet.create({
  gallery: {gap: spacing.s},
  image: {width: 280, height: 280, borderRadius: radius.m, backgroundColor: '#EADBC8'},
  variants: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.s},
});

import React, {useEffect, useRef, useState} from 'react';
import {Image, Pressable, StyleSheet, Text, View} from 'react-native';
import {useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {formatMoney, imageUrl, Schemas} from '../src/api/client';
import {useCart, useCoupon, useUpdateLine} from '../src/api/queries';
import {Body, Button, errorMessage, Field, Heading, Notice, QueryView, Screen, Title} from '../src/components/ui';
import {setWelcomeCode, useSession} from '../src/session';
import {colors, fonts, radius, spacing} from '../src/theme';

function Line({line}: {line: Schemas['CartLine']}) {
  const {t, i18n} = useTranslation();
  const router = useRouter();
  const update = useUpdateLine();
  const title = line.variant_label ? `${line.name}, ${line.variant_label}` : line.name;
  return (
    <View style={styles.line} testID={`cart-line-${line.product_id}`}>
      {line.thumbnail ? (
        <Image source={{uri: imageUrl(line.thumbnail.url)}} style={styles.thumbnail} alt="" accessibilityIgnoresInvertColors />
      ) : null}
      <Pressable style={{flex: 1, gap: 2}} accessibilityRole="link" accessibilityLabel={title}
        onPress={() => router.push(`/product/${line.template_id}`)} testID={`cart-line-link-${line.product_id}`}>
        <Text style={fonts.body}>{line.name}</Text>
        {line.variant_label ? <Text style={fonts.small}>{line.variant_label}</Text> : null}
        <Text style={fonts.small}>{formatMoney(line.unit_price, i18n.language)}</Text>
      </Pressable>
      <View style={styles.qty}>
        <Button variant="secondary" title="−" label={t('cart.decrease', {name: line.name})}
          onPress={() => update.mutate({id: line.id, quantity: line.quantity - 1})} />
        <Text style={fonts.body} accessibilityLabel={`${t('product.quantity')} ${line.quantity}`}>{line.quantity}</Text>
        <Button variant="secondary" title="+" label={t('cart.increase', {name: line.name})}
          onPress={() => update.mutate({id: line.id, quantity: line.quantity + 1})} />
      </View>
      <Text style={[fonts.body, {fontWeight: '700', minWidth: 72, textAlign: 'right'}]}>{formatMoney(line.amount, i18n.language)}</Text>
    </View>
  );
}

function Totals({cart}: {cart: Schemas['Cart']}) {
  const {t, i18n} = useTranslation();
  const row = (label: string, money: Schemas['Money'], strong = false, testID?: string) => (
    <View style={styles.total}>
      <Text style={[fonts.body, strong && {fontWeight: '700'}]}>{label}</Text>
      <Text style={[fonts.body, strong && {fontWeight: '700'}]} testID={testID}>{formatMoney(money, i18n.language)}</Text>
    </View>
  );
  return (
    <View style={styles.totals}>
      {row(t('cart.subtotal'), cart.untaxed_amount)}
      {row(t('cart.tax'), cart.tax_amount)}
      {Number(cart.delivery_amount.amount) ? row(t('cart.delivery'), cart.delivery_amount) : null}
      {row(t('cart.total'), cart.total_amount, true, 'cart-total')}
    </View>
  );
}

function CartView({cart}: {cart: Schemas['Cart']}) {
  const {t} = useTranslation();
  const router = useRouter();
  const {token, welcomeCode} = useSession();
  const [code, setCode] = useState('');
  const coupon = useCoupon();
  const tried = useRef(false);
  useEffect(() => {
    // the first-order code from the shop's QR code, once there is a cart
    if (welcomeCode && cart.lines.length && !cart.coupons.includes(welcomeCode) && !tried.current) {
      tried.current = true;
      coupon.mutate({code: welcomeCode}, {onSettled: () => setWelcomeCode(null)});
    }
  }, [welcomeCode, cart, coupon]);
  if (!cart.lines.length) {
    return (
      <>
        <Body>{t('cart.empty')}</Body>
        <Button variant="secondary" title={t('cart.browse')} onPress={() => router.navigate('/')} />
      </>
    );
  }
  return (
    <>
      {cart.lines.map((line) => <Line key={line.id} line={line} />)}
      <Heading>{t('cart.coupon')}</Heading>
      {cart.coupons.map((c) => (
        <View key={c} style={styles.total}>
          <Text style={fonts.body}>{t('cart.couponApplied', {code: c})}</Text>
          <Button variant="link" title={t('cart.remove')} label={`${t('cart.remove')} ${c}`} onPress={() => coupon.mutate({code: c, remove: true})} />
        </View>
      ))}
      <View style={styles.couponRow}>
        <View style={{flex: 1}}>
          <Field label={t('cart.coupon')} value={code} onChangeText={setCode} autoCapitalize="characters" testID="coupon-input" />
        </View>
        <Button variant="secondary" title={t('cart.apply')} disabled={!code.trim()} busy={coupon.isPending}
          onPress={() => coupon.mutate({code: code.trim()}, {onSuccess: () => setCode('')})} testID="coupon-apply" />
      </View>
      {coupon.isError ? <Notice kind="error">{errorMessage(coupon.error, t)}</Notice> : null}
      <Totals cart={cart} />
      {token ? (
        <Button title={t('cart.checkout')} onPress={() => router.push('/checkout')} testID="checkout" />
      ) : (
        <>
          <Notice>{t('cart.loginFirst')}</Notice>
          <Button title={t('account.login')} onPress={() => router.push('/account?next=/checkout')} testID="login-to-checkout" />
        </>
      )}
    </>
  );
}

export default function CartScreen() {
  const {t} = useTranslation();
  const cart = useCart();
  return (
    <Screen testID="cart">
      <Title>{t('cart.title')}</Title>
      <QueryView query={cart}>{(data) => <CartView cart={data} />}</QueryView>
    </Screen>
  );
}

const styles = StyleSheet.create({
  line: {flexDirection: 'row', alignItems: 'center', gap: spacing.s, padding: spacing.m, backgroundColor: colors.surface,
    borderRadius: radius.m, borderWidth: 1, borderColor: colors.border, flexWrap: 'wrap'},
  qty: {flexDirection: 'row', alignItems: 'center', gap: spacing.s},
  thumbnail: {width: 56, height: 56, borderRadius: radius.s, backgroundColor: '#EADBC8'},
  totals: {gap: spacing.xs, paddingVertical: spacing.m, borderTopWidth: 1, borderColor: colors.border},
  total: {flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center'},
  couponRow: {flexDirection: 'row', alignItems: 'flex-end', gap: spacing.s},
});
